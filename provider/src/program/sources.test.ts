import * as fs from "node:fs";
import * as path from "node:path";
import { inputProblems, inputProject, baseConfig } from "../testing/program";

// The input check for the Google Workspace and vendor sources: what each refuses, with the file,
// line and field, before anything runs (docs/reference/config.md).
const KEY = JSON.stringify({ type: "service_account", client_email: "coexist@p.iam.gserviceaccount.com", client_id: "1", private_key: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", private_key_id: "abc" });
const google = { kind: "google-workspace", adminEmail: "admin@contoso.com", domain: "contoso.com" };
const vendor = { kind: "vendor", name: "HostCo" };
const problems = (config: Record<string, unknown>, write: Record<string, string> = {}, stackYaml?: string) => {
  const p = inputProject(config, { write }, stackYaml);
  try {
    return inputProblems(p);
  } finally {
    p.cleanup();
  }
};

describe("the input check for the new source kinds", () => {
  it("accepts a Google source whose key comes from the secret coexist:googleServiceAccountKey", () => {
    expect(problems({ ...baseConfig, source: google, googleServiceAccountKey: KEY })).toEqual([]);
  });

  it("asks for the secret when a Google source has no key, never quoting a value", () => {
    const out = problems({ ...baseConfig, source: google });
    expect(out).toEqual([expect.stringContaining("coexist:googleServiceAccountKey is required for a google-workspace source: pulumi config set --secret coexist:googleServiceAccountKey < key.json")]);
  });

  it("names a key that is not a service account's JSON key without quoting it", () => {
    const out = problems({ ...baseConfig, source: google, googleServiceAccountKey: '{"type":"authorized_user","private_key":"SECRET-VALUE"}' });
    expect(out.join("\n")).toContain('coexist:googleServiceAccountKey is not a service account key: its "type" must be "service_account"');
    expect(out.join("\n")).not.toContain("SECRET-VALUE");
  });

  it("refuses a service account key written in the stack file in plain text, at its line", () => {
    const yaml = `config:\n  coexist:domain: contoso.com\n  coexist:source:\n    kind: google-workspace\n    adminEmail: admin@contoso.com\n    domain: contoso.com\n    serviceAccountKey: '${KEY.replaceAll("\n", "\\n")}'\n`;
    const out = problems({ ...baseConfig, source: { ...google, serviceAccountKey: KEY } }, {}, yaml);
    expect(out).toContainEqual(expect.stringMatching(/^stacks\/Pulumi\.t\.yaml:7:5: coexist:source\.serviceAccountKey is in the stack file in plain text/));
  });

  it("refuses a ProxyAddress column with a Google source, at the cell", () => {
    const out = problems({ ...baseConfig, source: google, googleServiceAccountKey: KEY, waves: ["w.csv"] }, { "w.csv": "EmailAddress,ProxyAddress\nalice@contoso.com,alice@sub.contoso.com\n" });
    expect(out).toEqual(["w.csv:2:19: ProxyAddress: a proxy address is added to an Exchange source mailbox; a google-workspace source has none coexist can change (leave the column empty)"]);
  });

  it("requires the list of the vendor's users, since nothing can read the vendor's system", () => {
    expect(problems({ ...baseConfig, source: vendor })).toEqual([expect.stringContaining("coexist:sourceUsers is required with a vendor source")]);
  });

  it("refuses Exchange-only settings with a vendor source: clearForwardingAddress, and deliverToMailboxAndForward the worksheet cannot carry", () => {
    const out = problems({ ...baseConfig, source: vendor, sourceUsers: "u.csv", clearForwardingAddress: true, deliverToMailboxAndForward: true }, { "u.csv": "EmailAddress\nalice@contoso.com\n" });
    expect(out.map((m) => m.replace(/^[^ ]+ /, ""))).toEqual([
      expect.stringContaining("coexist:clearForwardingAddress is an Exchange source mailbox's setting"),
      expect.stringContaining("coexist:deliverToMailboxAndForward cannot be asked of a vendor through the worksheet"),
    ]);
  });

  it("names a bad row of the vendor's confirmations file by line, column and field", () => {
    const p = inputProject({ ...baseConfig, source: vendor, sourceUsers: "u.csv" }, { write: { "u.csv": "EmailAddress\nalice@contoso.com\n" } });
    try {
      expect(inputProblems(p)).toEqual([]);
      fs.mkdirSync(path.join(p.dir, "worksheets"));
      fs.writeFileSync(path.join(p.dir, "worksheets", "t.confirmed.csv"), "Mailbox,Action,ConfirmedAt\nalice@contoso.com,added,2026-12-02T03:40:11Z\n");
      expect(inputProblems(p)).toEqual(['worksheets/t.confirmed.csv:2:19: Action "added" must be add or remove']);
    } finally {
      p.cleanup();
    }
  });
});
