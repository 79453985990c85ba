import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatProblem, InputError } from "../waves/problems";
import { loadInputs } from "./program";

// The malformed-input corpus: every bad CSV row and config key yields its file:line:column
// message, all at once. (test/e2e/waves.test.ts proves through the CLI that nothing is applied.)
const corpus = path.resolve(__dirname, "..", "..", "..", "test", "corpus");
const expected: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(corpus, "csv", "expected.json"), "utf8"));

const baseConfig: Record<string, unknown> = {
  domain: "contoso.com",
  tenant: "contoso.onmicrosoft.com",
  smartHosts: ["mail.contoso-source.example"],
  sourceIpRanges: ["198.51.100.25"],
  groupOwners: ["admin"],
  exchange: { kind: "simulator", stateFile: "w.json" },
  source: { kind: "simulator", stateFile: "w.json" },
};

/** A project dir holding the corpus CSVs and a stack file written from `config`. */
function project(config: Record<string, unknown>, stackYaml?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-inputs-"));
  fs.cpSync(path.join(corpus, "csv"), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, "stacks"));
  const stackFile = path.join(dir, "stacks", "Pulumi.t.yaml");
  fs.writeFileSync(stackFile, stackYaml ?? "config:\n" + Object.entries(config).map(([k, v]) => `  coexist:${k}: ${JSON.stringify(v)}`).join("\n") + "\n");
  const get = (k: string) => (config[k] === undefined ? undefined : typeof config[k] === "string" ? (config[k] as string) : JSON.stringify(config[k]));
  return { dir, stackFile, get };
}

function problems(config: Record<string, unknown>, stackYaml?: string): string[] {
  const p = project(config, stackYaml);
  try {
    loadInputs(p.get, p.dir, p.stackFile);
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map(formatProblem);
  }
}

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
});
