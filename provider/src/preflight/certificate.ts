import * as fs from "node:fs";
import * as tls from "node:tls";

export type CertificateCheck = { ok: true; detail: string } | { ok: false; detail: string; fix: string } | { ok: "unknown"; detail: string };

/**
 * Opens the app's .pfx as Connect-ExchangeOnline -CertificateFilePath would, without
 * connecting: readable, a PKCS #12 file, and the password right. OpenSSL's PKCS #12 parser (in
 * Node's TLS) says "mac verify failure" for a wrong password.
 */
export function checkCertificate(file: string, password: string | undefined): CertificateCheck {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, detail: `cannot read ${file} (${code ?? "error"})`, fix: "set certificateFilePath in coexist:exchange to the app's .pfx file, readable by this user" };
  }
  try {
    tls.createSecureContext({ pfx: bytes, ...(password !== undefined ? { passphrase: password } : {}) });
    return { ok: true, detail: `${file} opens with the configured password` };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/mac verify failure|invalid password/i.test(message)) {
      return {
        ok: false,
        detail: `${file}: the password does not open it`,
        fix: "set the right one with pulumi config set --secret coexist:certificatePassword",
      };
    }
    if (/unsupported/i.test(message)) {
      // Old exports use RC2-40, which OpenSSL 3 refuses by default though .NET still opens it.
      return { ok: "unknown", detail: `${file}: uses an encryption this check cannot open (${message}); the connect check below still tries it` };
    }
    return { ok: false, detail: `${file} is not a PKCS #12 (.pfx) file with its private key (${message})`, fix: "export the certificate with its private key as .pfx" };
  }
}
