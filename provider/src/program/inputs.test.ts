import * as fs from "node:fs";
import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { readProviderConfig } from "../config/provider";
import { quote, sortProblems } from "../waves/problems";
import { environmentRefusal } from "./environment";
import { loadInputs } from "./program";
import { KNOWN_KEYS, rawConfig } from "../config/stack";
import { baseConfig, inputProblems, inputProject } from "../testing/program";

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

  it("refuses an unknown key at its line, with the key it is near (issue 13)", () => {
    const yaml = ["config:", "  coexist:domain: contoso.com", "  coexist:rolback:", "    - bob@contoso.com", "  coexist:smarthosts: [a.example]", "  coexist:colour: blue", ""].join("\n");
    expect(problems({ ...baseConfig, rolback: ["bob@contoso.com"], smarthosts: ["a.example"], colour: "blue" }, yaml)).toEqual([
      "stacks/Pulumi.t.yaml:3:3: coexist:rolback is not a coexist setting; did you mean coexist:rollback?",
      "stacks/Pulumi.t.yaml:5:3: coexist:smarthosts is not a coexist setting; did you mean coexist:smartHosts?",
      "stacks/Pulumi.t.yaml:6:3: coexist:colour is not a coexist setting (every setting is in docs/reference/config.md)",
    ]);
  });

  it("refuses an unknown field inside a coexist: object, and a dotted key set without --path", () => {
    const yaml = [
      "config:",
      "  coexist:names:",
      "    grop: Sales",
      "  coexist:exchange:",
      "    kind: simulator",
      "    stateFlie: w.json",
      "    stateFile: w.json",
      "  coexist:cutover.done: true",
      "",
    ].join("\n");
    const config = { ...baseConfig, names: { grop: "Sales" }, exchange: { kind: "simulator", stateFlie: "w.json", stateFile: "w.json" }, "cutover.done": true };
    expect(problems(config, yaml)).toEqual([
      "stacks/Pulumi.t.yaml:3:5: coexist:names.grop is not a coexist setting; did you mean coexist:names.group?",
      "stacks/Pulumi.t.yaml:6:5: coexist:exchange.stateFlie is not a coexist setting; did you mean coexist:exchange.stateFile?",
      "stacks/Pulumi.t.yaml:8:3: coexist:cutover.done is a key of its own, so coexist never reads it; set done inside coexist:cutover (pulumi config set --path 'coexist:cutover.done' <value>)",
    ]);
  });

  it("says what type was expected and what was found, not 'is required' on the line that sets it", () => {
    const yaml = ["config:", "  coexist:smartHosts: mail.contoso-source.example", "  coexist:matchSubDomains: yes please", "  coexist:domain: [contoso.com]", "  coexist:exchange: simulator", "  coexist:pool:", "    maxSessions: three", ""].join("\n");
    const config = { ...baseConfig, smartHosts: "mail.contoso-source.example", matchSubDomains: "yes please", domain: ["contoso.com"], exchange: "simulator", pool: { maxSessions: "three" } };
    expect(problems(config, yaml)).toEqual([
      'stacks/Pulumi.t.yaml:2:3: coexist:smartHosts must be a list (got a single value "mail.contoso-source.example"); write it as a YAML list',
      'stacks/Pulumi.t.yaml:3:3: coexist:matchSubDomains must be true or false (got "yes please")',
      "stacks/Pulumi.t.yaml:4:3: coexist:domain must be a single value (got a list)",
      'stacks/Pulumi.t.yaml:5:3: coexist:exchange must be a mapping of fields (got "simulator"); write it as YAML field: value lines below the key',
      'stacks/Pulumi.t.yaml:7:5: coexist:pool.maxSessions must be a number (got "three")',
    ]);
    expect(problems({ ...baseConfig, exchange: { stateFile: "w.json" }, journal: 5 })).toEqual([
      "stacks/Pulumi.t.yaml:7:3: coexist:exchange.kind is required (one of simulator, exchange-online)",
      "stacks/Pulumi.t.yaml:9:3: coexist:journal must be true or false, or text (got 5)",
    ]);
  });

  it("never quotes a secret back in a type message", () => {
    const source = { kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", username: "CONTOSO\\svc", password: 271828 };
    const out = problems({ ...baseConfig, source });
    expect(out).toEqual([expect.stringMatching(/coexist:source\.password must be text \(got a value of another type\); quote it$/)]);
    expect(out.join("\n")).not.toContain("271828");
  });

  it("reports problems by file, then line and column, the stack file first and the waves in list order", () => {
    // StackConfig checks smartHosts before groupOwners, and CSV field counts before rows.
    const yaml = ["config:", "  coexist:groupOwners: []", "  coexist:smartHosts: []", "  coexist:waves: [problems-in-line-order.csv, duplicate-within.csv]", ""].join("\n");
    expect(problems({ ...baseConfig, groupOwners: [], smartHosts: [], waves: ["problems-in-line-order.csv", "duplicate-within.csv"] }, yaml).map((m) => m.split(": ")[0])).toEqual([
      "stacks/Pulumi.t.yaml:2:3",
      "stacks/Pulumi.t.yaml:3:3",
    ]);
    expect(problems({ ...baseConfig, waves: ["problems-in-line-order.csv", "duplicate-within.csv", "nowhere.csv"] }).map((m) => m.split(": ")[0])).toEqual([
      "stacks/Pulumi.t.yaml:9:3",
      "problems-in-line-order.csv:2:1",
      "problems-in-line-order.csv:3:18",
      "duplicate-within.csv:4:1",
    ]);
    const at = (file: string, line: number, column: number, message = "") => ({ file, line, column, message });
    expect(sortProblems([at("b", 2, 1), at("a", 1, 5, "x"), at("b", 1, 1), at("a", 1, 5, "y"), at("a", 1, 2)], ["b"])).toEqual([
      at("b", 1, 1),
      at("b", 2, 1),
      at("a", 1, 2),
      at("a", 1, 5, "x"),
      at("a", 1, 5, "y"),
    ]);
  });

  it("quotes values as written, an inner quote doubled", () => {
    expect(quote('say "hi"')).toBe('"say ""hi"""');
    expect(quote("CONTOSO\\svc")).toBe('"CONTOSO\\svc"');
    const text = 'EmailAddress,ForwardTo,SourceIdentity\nAlice@Contoso.com,"A""lice@Contoso.onmicrosoft.com",x\nBob@Fabrikam.com,,"say ""hi"" "\n';
    const p = inputProject({ ...baseConfig, waves: ["w.csv"] }, { write: { "w.csv": text } });
    expect(inputProblems(p)).toEqual([
      'w.csv:2:19: ForwardTo: "A""lice@Contoso.onmicrosoft.com" is not a valid forwarding address',
      "w.csv:3:1: EmailAddress: Bob@Fabrikam.com is outside the shared domain contoso.com",
      'w.csv:3:19: SourceIdentity: "say ""hi"" " must not start or end with whitespace',
    ]);
    p.cleanup();
  });

  it("reads a ';'-separated wave (Excel in a region whose list separator is ';') like a comma-separated one", () => {
    const p = project({ ...baseConfig, waves: ["semicolon-separated.csv"] });
    expect(inputProblems(p)).toEqual([expect.stringMatching(/^semicolon-separated\.csv:3:17: ForwardTo: Bob@Gmail\.com is not a routing address/)]);
    const ok = inputProject({ ...baseConfig, waves: ["w.csv"] }, { write: { "w.csv": "\uFEFFMailbox;ForwardTo\r\n\"alice@contoso.com\";\"alice@contoso.onmicrosoft.com\"\r\n" } });
    expect(ok.load().users).toEqual([{ emailAddress: "alice@contoso.com", forwardTo: "alice@contoso.onmicrosoft.com", wave: "w" }]);
    for (const x of [p, ok]) x.cleanup();
  });

  it("refuses a seed membership file whose Identity names another group, naming the group coexist uses", () => {
    const text = "Identity, Members\nSales, carol@contoso.com\n";
    const p = inputProject({ ...baseConfig, names: { group: "Moved To Cloud", groupAddress: "moved@contoso.com" }, waves: ["m.csv"] }, { write: { "m.csv": text } });
    expect(inputProblems(p)).toEqual([
      'm.csv:2:1: Identity: "Sales" is not the group coexist uses, "Moved To Cloud" (moved@contoso.com): every member listed would be migrated and added to it instead; write that group\'s name or address in Identity, or set coexist:names.group and coexist:names.groupAddress to the group to use',
    ]);
    // The configured group by name or by address, in any case, is accepted.
    for (const identity of ["moved to cloud", "MOVED@contoso.com"]) {
      const ok = inputProject({ ...baseConfig, names: { group: "Moved To Cloud", groupAddress: "moved@contoso.com" }, waves: ["m.csv"] }, { write: { "m.csv": `Identity, Members\n${identity}, carol@contoso.com\n` } });
      expect(ok.load().users.map((u) => u.emailAddress)).toEqual(["carol@contoso.com"]);
      ok.cleanup();
    }
    p.cleanup();
  });

  it("knows every coexist: key that the program, the provider and the docs use", () => {
    // Every key a reader asks for: the program's, the provider's configure() and the tool environment check.
    const asked = new Set<string>();
    const get = (k: string) => {
      asked.add(k);
      const v = (baseConfig as Record<string, unknown>)[k];
      return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
    };
    rawConfig(get);
    readProviderConfig({ get } as unknown as dynamic.Config);
    environmentRefusal("t", get, "/nonexistent", {});
    expect([...asked].filter((k) => !KNOWN_KEYS.includes(k))).toEqual([]);
    // Every coexist:<key> the code names, and every key the config reference's tables and headings list.
    const root = path.resolve(__dirname, "..", "..", "..");
    const sources = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []));
    const reference = fs.readFileSync(path.join(root, "docs", "reference", "config.md"), "utf8").split("\n").filter((l) => /^[|#]/.test(l));
    const texts = [...sources(path.join(root, "provider", "src")).map((f) => fs.readFileSync(f, "utf8")), reference.join("\n")];
    const named = new Set(texts.flatMap((t) => [...t.matchAll(/coexist:([a-z][A-Za-z]*)/g)].map((m) => m[1]!)));
    expect([...named].filter((k) => !KNOWN_KEYS.includes(k))).toEqual([]);
  });
});
