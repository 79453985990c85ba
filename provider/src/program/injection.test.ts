import { unsafeCharacter } from "../exchange/command";
import { quote } from "../waves/problems";
import { csvField, hostileAddresses, hostileValues } from "../testing/hostileInputs";
import { baseConfig, inputProblems, inputProject } from "../testing/program";

// Every hostile value in every CSV column and every config string: the input check either
// hands it on exactly as written or refuses it with one clean line naming file, line and field.
// (test/security/injection.test.ts then proves through the CLI what reaches the cmdlets.)

/** A refusal a consultant can read: one line, no invisible characters, no flood. */
function expectCleanMessage(message: string, where: RegExp) {
  expect(message).toMatch(where);
  expect(message).not.toMatch(/[\r\n]/);
  expect(unsafeCharacter(message)).toBeUndefined();
  expect(message.length).toBeLessThan(400);
}

const HEADER = "EmailAddress,ForwardTo,SourceIdentity,ProxyAddress";
const ROW = { EmailAddress: "alice@contoso.com", ForwardTo: "alice@contoso.onmicrosoft.com", SourceIdentity: "Alice Example", ProxyAddress: "alice.x@contoso.com" };
type Column = keyof typeof ROW;

function wave(text: string, config: Record<string, unknown> = {}) {
  return inputProject({ ...baseConfig, waves: ["wave.csv"], ...config }, { write: { "wave.csv": text } });
}
const row = (column: Column, value: string) => `${HEADER}\n${(Object.keys(ROW) as Column[]).map((c) => csvField(c === column ? value : ROW[c])).join(",")}\n`;

describe("hostile values in CSV cells", () => {
  describe.each(Object.keys(ROW) as Column[])("in the %s column", (column) => {
    it.each(hostileValues.map((h) => [h.label, h] as const))("%s is refused cleanly or reaches the user exactly", (_, h) => {
      const p = wave(row(column, h.value));
      const problems = inputProblems(p);
      const accepted = column === "SourceIdentity" && h.name === "accepted";
      if (accepted) {
        expect(problems).toEqual([]);
        expect(p.load().users[0]?.sourceIdentity).toBe(h.value);
      } else {
        expect(problems).toHaveLength(1);
        expectCleanMessage(problems[0]!, new RegExp(`^wave\\.csv:2:\\d+: ${column}: `));
      }
      p.cleanup();
    });
  });

  it.each(hostileValues.map((h) => [h.label, h] as const))("%s in every column of the seed formats is refused or ignored, never altered", (_, h) => {
    const forwarding = wave(`Mailbox, ForwardTo\n${csvField(h.value)}, alice@contoso.onmicrosoft.com\nbob@contoso.com, ${csvField(h.value)}\n`);
    const problems = inputProblems(forwarding);
    expect(problems).toHaveLength(2);
    expectCleanMessage(problems[0]!, /^wave\.csv:2:1: Mailbox: /);
    // A quoted line break in the first row moves the second row down.
    const secondRow = 3 + h.value.split(/\r\n|\r|\n/).length - 1;
    expectCleanMessage(problems[1]!, new RegExp(`^wave\\.csv:${secondRow}:18: ForwardTo: `));
    const proxy = wave(`Name, EmailAddress\n${csvField(h.value)}, alice@contoso.com\n`);
    expectCleanMessage(inputProblems(proxy)[0]!, /^wave\.csv:2:1: Name: /);
    // Seed 1's membership format names the group in Identity: any group but coexist's own is refused.
    const membership = wave(`Identity, Members\n${csvField(h.value)}, alice@contoso.com\n`);
    const refused = inputProblems(membership);
    expect(refused).toHaveLength(1);
    expectCleanMessage(refused[0]!, /^wave\.csv:2:1: Identity: .* is not the group coexist uses, "Migrated Users" \(migrated@contoso\.com\)/);
    for (const p of [forwarding, proxy, membership]) p.cleanup();
  });

  it.each(hostileAddresses.map((a) => [a.label, a] as const))("an address whose local part has %s is a real address or refused", (_, a) => {
    const address = `${a.local}@contoso.com`;
    const p = wave(`EmailAddress,ProxyAddress\n${csvField(address)},${csvField(`x${a.local}@contoso.com`)}\n`);
    if (a.accepted) {
      const lower = a.local.toLowerCase();
      expect(p.load().users).toEqual([
        { emailAddress: `${lower}@contoso.com`, forwardTo: `${lower}@contoso.onmicrosoft.com`, proxyAddress: `x${lower}@contoso.com`, wave: "wave" },
      ]);
    } else {
      const problems = inputProblems(p);
      expect(problems).toHaveLength(2);
      expectCleanMessage(problems[0]!, /^wave\.csv:2:1: EmailAddress: /);
      // The ProxyAddress field starts after any line break quoted in the first.
      expectCleanMessage(problems[1]!, new RegExp(`^wave\\.csv:${2 + a.local.split("\n").length - 1}:\\d+: ProxyAddress: `));
      expect(problems[0]).toContain(quote(address));
    }
    p.cleanup();
  });
});

/** Where a config string sits, and whether a hostile value there is plain data to pass on. */
const simulator = { kind: "simulator", stateFile: "w.json" };
const online = { kind: "exchange-online", appId: "00000000-0000-4000-8000-000000000001", organization: "contoso.onmicrosoft.com", certificateFilePath: "c.pfx" };
const onprem = { kind: "exchange-onprem", connectionUri: "https://mail.contoso.com/PowerShell/", username: "CONTOSO\\svc", password: "x" };
interface ConfigString {
  key: string;
  set: (v: string) => Record<string, unknown>;
  /** The value as the checked config carries it, when accepted. */
  get?: (c: Record<string, any>) => unknown;
  accepts: (h: (typeof hostileValues)[number]) => boolean;
}
const never = () => false;
const asName = (max: number) => (h: (typeof hostileValues)[number]) => h.name === "accepted" && h.value.length <= max;
const asPath = (h: (typeof hostileValues)[number]) => unsafeCharacter(h.value) === undefined && h.value.length <= 4096;
const configStrings: ConfigString[] = [
  { key: "domain", set: (v) => ({ domain: v }), accepts: never },
  { key: "tenant", set: (v) => ({ tenant: v }), accepts: never },
  { key: "routingTemplate", set: (v) => ({ routingTemplate: v }), accepts: never },
  { key: "routingTemplate", set: (v) => ({ routingTemplate: `{alias}${v}@{tenant}` }), accepts: never },
  { key: "smartHosts.0", set: (v) => ({ smartHosts: [v] }), accepts: never },
  { key: "sourceIpRanges.0", set: (v) => ({ sourceIpRanges: [v] }), accepts: never },
  { key: "groupOwners.0", set: (v) => ({ groupOwners: [v] }), get: (c) => c.groupOwners[0], accepts: asName(256) },
  { key: "names.group", set: (v) => ({ names: { group: v } }), get: (c) => c.names.group, accepts: asName(64) },
  { key: "names.groupAddress", set: (v) => ({ names: { groupAddress: v } }), accepts: never },
  { key: "names.connector", set: (v) => ({ names: { connector: v } }), get: (c) => c.names.connector, accepts: asName(64) },
  { key: "names.coexistenceRule", set: (v) => ({ names: { coexistenceRule: v } }), get: (c) => c.names.coexistenceRule, accepts: asName(64) },
  { key: "names.bypassRule", set: (v) => ({ names: { bypassRule: v } }), get: (c) => c.names.bypassRule, accepts: asName(64) },
  // A wave path is checked, then must exist: no hostile name names a file here.
  { key: "waves", set: (v) => ({ waves: [v] }), accepts: never },
  { key: "rollback.0", set: (v) => ({ rollback: [v] }), accepts: never },
  { key: "exchange.stateFile", set: (v) => ({ exchange: { ...simulator, stateFile: v } }), get: (c) => c.exchange.stateFile, accepts: asPath },
  { key: "exchange.organization", set: (v) => ({ exchange: { ...online, organization: v } }), accepts: never },
  { key: "exchange.appId", set: (v) => ({ exchange: { ...online, appId: v } }), accepts: never },
  { key: "exchange.certificateFilePath", set: (v) => ({ exchange: { ...online, certificateFilePath: v } }), get: (c) => c.exchange.certificateFilePath, accepts: asPath },
  // Secrets are data handed to the runner's connect request as they are, whatever they hold.
  { key: "certificatePassword", set: (v) => ({ exchange: online, certificatePassword: v }), get: (c) => c.exchange.certificatePassword, accepts: () => true },
  { key: "source.connectionUri", set: (v) => ({ source: { ...onprem, connectionUri: v } }), accepts: never },
  { key: "source.username", set: (v) => ({ source: { ...onprem, username: v } }), get: (c) => c.source.username, accepts: () => true },
  { key: "source.authentication", set: (v) => ({ source: { ...onprem, authentication: v } }), accepts: never },
  { key: "sourcePassword", set: (v) => ({ source: onprem, sourcePassword: v }), get: (c) => c.source.password, accepts: () => true },
];

describe("hostile values in config strings", () => {
  const cases = configStrings.flatMap((s) => hostileValues.map((h) => [`coexist:${s.key}`, h.label, s, h] as const));
  it.each(cases)("%s holding %s is refused cleanly or kept exactly", (_, __, s, h) => {
    const p = inputProject({ ...baseConfig, ...s.set(h.value) });
    const problems = inputProblems(p);
    if (s.accepts(h)) {
      expect(problems).toEqual([]);
      expect(s.get!(p.load().config)).toBe(h.value);
    } else {
      expect(problems.length).toBeGreaterThan(0);
      const top = s.key.replace(/\..*$/, "");
      for (const m of problems) expectCleanMessage(m, new RegExp(`^stacks/Pulumi\\.t\\.yaml:\\d+:\\d+: coexist:${top}\\b`));
    }
    // A secret is never quoted back, accepted or not.
    if (/password/i.test(s.key)) for (const m of problems) expect(m).not.toContain(h.value);
    p.cleanup();
  });
});
