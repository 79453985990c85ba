import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KeptForwards, keptForwardsPath, readKeptForwards } from "./keptForwards";

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "coexist-kept-unit-"));
const bob = { kind: "exchange" as const, forwardingAddress: null, forwardingSmtpAddress: "bob.home@fabrikam.example", deliverToMailboxAndForward: false };

describe("the kept-forwards file", () => {
  it("is forwards/<stack>.json beside Pulumi.yaml, and absent means nothing kept", () => {
    const d = dir();
    expect(keptForwardsPath(d, "org/coexist/prod")).toBe(path.join(d, "forwards", "prod.json"));
    expect(readKeptForwards(keptForwardsPath(d, "prod")).size).toBe(0);
  });

  it("writes each change at once, whole, and drops an entry once forgotten", () => {
    const file = keptForwardsPath(dir(), "prod");
    const kept = KeptForwards.of(file);
    kept.keep("Bob@Contoso.com", bob);
    expect(readKeptForwards(file).get("bob@contoso.com")).toEqual(bob);
    expect(KeptForwards.of(file).get("bob@contoso.com")).toEqual(bob);
    kept.forget("bob@contoso.com");
    expect(readKeptForwards(file).size).toBe(0);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["prod.json"]);
  });

  it("names the file and the field of a damaged entry, and the file when it is not JSON", () => {
    const file = keptForwardsPath(dir(), "prod");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 1, users: { "bob@contoso.com": { kind: "gmail", emailAddress: "not an address" } } }));
    expect(() => readKeptForwards(file)).toThrow(`${file}: users.bob@contoso.com.emailAddress`);
    fs.writeFileSync(file, "{");
    expect(() => readKeptForwards(file)).toThrow(`coexist: ${file}: not JSON`);
  });

  it("keeps an old resource's one value in memory without writing a file", () => {
    const kept = KeptForwards.inMemory([["bob@contoso.com", bob]]);
    kept.forget("bob@contoso.com");
    expect(kept.get("bob@contoso.com")).toBeUndefined();
  });
});
