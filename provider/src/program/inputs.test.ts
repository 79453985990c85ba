import * as fs from "node:fs";
import * as path from "node:path";
import { loadInputs } from "./program";
import { baseConfig, inputProblems, inputProject } from "./testing";

// The malformed-input corpus: every bad CSV row and config key yields its file:line:column
// message, all at once. (test/e2e/waves.test.ts proves through the CLI that nothing is applied.)
const corpus = path.resolve(__dirname, "..", "..", "..", "test", "corpus");
const expected: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(corpus, "csv", "expected.json"), "utf8"));

const project = (config: Record<string, unknown>, stackYaml?: string) => inputProject(config, { from: path.join(corpus, "csv") }, stackYaml);
const problems = (config: Record<string, unknown>, stackYaml?: string) => inputProblems(project(config, stackYaml));

describe("wave and config input checks", () => {
  it.each(Object.entries(expected))("%s yields exactly its expected problems", (file, messages) => {
    expect(problems({ ...baseConfig, waves: [file] })).toEqual(messages);
  });

  it("reports a user listed in two waves at the second listing, naming the first", () => {
    expect(problems({ ...baseConfig, waves: ["bom-crlf-quoted-ok.csv", "other-wave.csv"] })).toEqual([
      "other-wave.csv:2:1: EmailAddress: bob@contoso.com is listed twice (first at bom-crlf-quoted-ok.csv:3)",
    ]);
  });

  it("reports the problems of every wave at once", () => {
    const all = problems({ ...baseConfig, waves: ["malformed-address.csv", "outside-domain.csv", "wrong-header.csv"] });
    expect(all.map((m) => m.split(":")[0])).toEqual(["malformed-address.csv", "outside-domain.csv", "outside-domain.csv", "wrong-header.csv"]);
  });

  it("reads the seed's proxy-address format as users with a proxy address", () => {
    const p = project({ ...baseConfig, waves: ["seed-proxy-ok.csv"] });
    const { users } = loadInputs(p.get, p.dir, p.stackFile);
    // bom-crlf-quoted-ok lists alice again: a duplicate, so only seed-proxy-ok's alice counts.
    expect(users).toEqual([
      { emailAddress: "alice@contoso.com", forwardTo: "alice@contoso.onmicrosoft.com", proxyAddress: "alice@contoso.onmicrosoft.com", wave: "seed-proxy-ok" },
    ]);
  });

  it("fills in the routing address from the template", () => {
    const p = project({ ...baseConfig, routingTemplate: "{alias}@sub.{domain}", waves: ["other-wave.csv"] });
    expect(loadInputs(p.get, p.dir, p.stackFile).users[0]?.forwardTo).toBe("bob@sub.contoso.com");
  });

  it("checks routing addresses made from the template like those in the CSV", () => {
    expect(problems({ ...baseConfig, routingTemplate: "{alias}@gmail.com", waves: ["other-wave.csv"] })).toEqual([
      "other-wave.csv:2:1: EmailAddress: bob@gmail.com (from coexist:routingTemplate) is not a routing address: use contoso.onmicrosoft.com or a subdomain of contoso.com",
    ]);
    const p = project({ ...baseConfig, routingTemplate: "{alias}@contoso.mail.onmicrosoft.com", waves: ["other-wave.csv"] });
    expect(loadInputs(p.get, p.dir, p.stackFile).users[0]?.forwardTo).toBe("bob@contoso.mail.onmicrosoft.com");
  });

  it("takes the source password from the secret key coexist:sourcePassword", () => {
    const source = { kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", username: "CONTOSO\\svc" };
    const p = project({ ...baseConfig, source, sourcePassword: "S3cr3t!", waves: [] });
    expect(loadInputs(p.get, p.dir, p.stackFile).config.source).toMatchObject({ kind: "exchange-onprem", password: "S3cr3t!" });
  });

  it("refuses Basic authentication to the source over http, where it would send the password in the clear", () => {
    const source = { kind: "exchange-onprem", connectionUri: "http://ex01.contoso.com/PowerShell/", authentication: "Basic", username: "CONTOSO\\svc" };
    expect(problems({ ...baseConfig, source, sourcePassword: "S3cr3t!", waves: [] })).toEqual([
      expect.stringMatching(/coexist:source\.authentication Basic authentication sends the password in the clear: use an https:\/\/ connectionUri, or Kerberos\/Negotiate$/),
    ]);
    const https = project({ ...baseConfig, source: { ...source, connectionUri: "https://ex01.contoso.com/PowerShell/" }, sourcePassword: "S3cr3t!", waves: [] });
    expect(loadInputs(https.get, https.dir, https.stackFile).config.source).toMatchObject({ authentication: "Basic" });
  });

  it("points at the config key in the stack file for a bad value", () => {
    const yaml = [
      "config:",
      "  coexist:domain: contoso.com",
      "  coexist:tenant: contoso.onmicrosoft.com",
      "  coexist:smartHosts:",
      "    - mail.contoso-source.example",
      "    - not a host!",
      "  coexist:sourceIpRanges:",
      "    - 198.51.100.25",
      "  coexist:routingTemplate: forward@contoso.onmicrosoft.com",
      "  coexist:groupOwners: [admin]",
      "",
    ].join("\n");
    const { groupOwners, exchange, source, domain, tenant, sourceIpRanges } = baseConfig;
    expect(
      problems({ domain, tenant, sourceIpRanges, groupOwners, exchange, source, smartHosts: ["mail.contoso-source.example", "not a host!"], routingTemplate: "forward@contoso.onmicrosoft.com" }, yaml),
    ).toEqual([
      "stacks/Pulumi.t.yaml:6:7: coexist:smartHosts.1 must be an FQDN, an IPv4 address or an IPv4 CIDR range",
      "stacks/Pulumi.t.yaml:9:3: coexist:routingTemplate must contain {alias}",
    ]);
  });

  it("names a missing required key and a missing wave file", () => {
    const { domain: _d, ...noDomain } = baseConfig;
    const out = problems({ ...noDomain, waves: ["nowhere.csv"] });
    expect(out).toEqual(["stacks/Pulumi.t.yaml:1:1: coexist:domain is required"]);
    expect(problems({ ...baseConfig, waves: ["nowhere.csv"] })).toEqual([expect.stringMatching(/^stacks\/Pulumi\.t\.yaml:\d+:\d+: coexist:waves: wave file "nowhere\.csv" does not exist$/)]);
  });

  it("numbers rows after a line break quoted inside a CRLF file by the lines an editor shows", () => {
    const text = 'EmailAddress,SourceIdentity\r\nalice@contoso.com,"two\r\nlines"\r\n\r\nbob@fabrikam.com,Bob\r\n';
    const p = inputProject({ ...baseConfig, waves: ["crlf.csv"] }, { write: { "crlf.csv": text } });
    expect(inputProblems(p)).toEqual([
      'crlf.csv:2:19: SourceIdentity: "two<U+000D><U+000A>lines" must not contain control or invisible characters (found U+000D)',
      "crlf.csv:5:1: EmailAddress: bob@fabrikam.com is outside the shared domain contoso.com",
    ]);
  });
});
