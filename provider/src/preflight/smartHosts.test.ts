import { Resolver, smartHostChecks } from "./smartHosts";

/** DNS as a table: host → addresses, domain → MX hosts; anything else is ENOTFOUND. */
function fakeDns(a: Record<string, string[]>, mx: Record<string, string[]>): Resolver {
  const notFound = (name: string) => Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: "ENOTFOUND" });
  return {
    addresses: async (h) => a[h] ?? Promise.reject(notFound(h)),
    mx: async (d) => mx[d] ?? Promise.reject(notFound(d)),
  };
}
const dns = fakeDns(
  { "mail.contoso-source.example": ["198.51.100.25"], "smtp.contoso-source.example": ["198.51.100.25"], "relay.elsewhere.example": ["203.0.113.9"] },
  { "contoso.com": ["mail.contoso-source.example"], "fabrikam.com": ["fabrikam-com.mail.protection.outlook.com"] },
);
const pick = (checks: Awaited<ReturnType<typeof smartHostChecks>>) => checks.map((c) => [c.status, c.detail]);

describe("the smart host check (preflight, a real tenant)", () => {
  it("fails a smart host that does not resolve, a typo that would otherwise be applied to the tenant", async () => {
    const checks = await smartHostChecks("contoso.com", ["mial.contoso-source.example"], dns);
    expect(pick(checks)).toEqual([["fail", "mial.contoso-source.example does not resolve (ENOTFOUND)"]]);
    expect(checks[0]!.fix).toContain("coexist:smartHosts");
  });

  it("passes the shared domain's MX host, another name for its address, and its IP with or without brackets", async () => {
    const checks = await smartHostChecks("contoso.com", ["MAIL.contoso-source.example", "smtp.contoso-source.example", "198.51.100.25", "[198.51.100.25]"], dns);
    expect(checks.map((c) => c.status)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(checks[0]!.detail).toBe("MAIL.contoso-source.example is where the MX of contoso.com points (mail.contoso-source.example)");
  });

  it("warns of a host that resolves but is not where the MX points, and says so when the MX cannot be read", async () => {
    expect(pick(await smartHostChecks("contoso.com", ["relay.elsewhere.example"], dns))).toEqual([
      ["warn", "relay.elsewhere.example resolves (203.0.113.9) but is not where the MX of contoso.com points (mail.contoso-source.example): mail the coexistence rule routes goes there, not to the source's MX"],
    ]);
    expect(pick(await smartHostChecks("nowhere.example", ["mail.contoso-source.example"], dns))[0]![0]).toBe("warn");
  });

  it("does not compare with an MX that already points at Exchange Online (after cutover)", async () => {
    expect((await smartHostChecks("fabrikam.com", ["mail.contoso-source.example"], dns))[0]!.status).toBe("pass");
  });
});
