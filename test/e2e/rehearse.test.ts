import * as fs from "node:fs";
import * as path from "node:path";
import { coexistCli } from "../harness/cli";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// A rehearsal of your own domain and users without writing code: the world is built from the
// stack's own config and waves, and the MX cutover is one command.
describe("npm run rehearse through the real CLI", () => {
  const project = rehearsalProject("rehearse");
  const { rehearsal } = project;
  afterAll(() => project.cleanup());

  const rehearse = (args: string[]) => coexistCli(project, rehearsal.stack, "rehearse", args);

  it("builds the world from the stack's domain, waves, smart hosts, IP ranges and routing subdomain, and up runs on it", async () => {
    fs.writeFileSync(path.join(project.dir, "batches", "fabrikam.csv"), "EmailAddress\nAnna@fabrikam.com\nben@fabrikam.com\n");
    fs.writeFileSync(path.join(project.dir, "others.txt"), "# still at the source\ncarl@fabrikam.com\n");
    project.writeConfig({
      ...contosoStack,
      domain: "fabrikam.com",
      tenant: "fabrikam.onmicrosoft.com",
      smartHosts: ["mx.fabrikam-source.example"],
      sourceIpRanges: ["203.0.113.0/24"],
      routingTemplate: "{alias}@route.{domain}",
      matchSubDomains: true,
      waves: ["batches/fabrikam.csv"],
      exchange: { kind: "simulator", stateFile: ".sim/fabrikam/world.json" },
      source: { kind: "simulator", stateFile: ".sim/fabrikam/world.json" },
    });
    expect((await rehearsal.run(["stack", "init"])).code).toBe(0);
    const r = await rehearse(["init", "--others", "others.txt"]);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    expect(r.out).toContain("3 users, each with a source mailbox and an Exchange Online mailbox");
    const world = JSON.parse(fs.readFileSync(path.join(project.dir, ".sim", "fabrikam", "world.json"), "utf8")) as {
      tenant: { organization: string };
      source: { hosts: string[]; outboundIps: string[]; mailboxes: { PrimarySmtpAddress: string }[] };
      mx: Record<string, string>;
    };
    expect(world.tenant.organization).toBe("fabrikam.onmicrosoft.com");
    expect(world.source.mailboxes.map((m) => m.PrimarySmtpAddress)).toEqual(["anna@fabrikam.com", "ben@fabrikam.com", "carl@fabrikam.com"]);
    expect(world.source).toMatchObject({ hosts: ["mx.fabrikam-source.example"], outboundIps: ["203.0.113.1"] });
    expect(world.mx).toEqual({ "fabrikam.com": "source", "fabrikam.onmicrosoft.com": "exchange", "route.fabrikam.com": "exchange" });

    const up = await rehearsal.up();
    expect(up.code === 0 ? "ok" : up.output).toBe("ok");

    // Once applied, a second init would leave the stack describing a world that is gone.
    const again = await rehearse(["init"]);
    expect(again.code).toBe(1);
    expect(again.out).toContain(".sim/fabrikam/world.json exists.");
  });

  it("moves the shared domain's MX to Exchange Online and back", async () => {
    const read = () => (JSON.parse(fs.readFileSync(path.join(project.dir, ".sim", "fabrikam", "world.json"), "utf8")) as { mx: Record<string, string> }).mx["fabrikam.com"];
    const cut = await rehearse(["mx-cutover"]);
    expect(cut.out.trim()).toBe("MX of fabrikam.com now points at Exchange Online in .sim/fabrikam/world.json");
    expect(read()).toBe("exchange");
    await rehearse(["mx-cutover", "--back"]);
    expect(read()).toBe("source");
  });

  it("refuses a stack whose targets are not simulators", async () => {
    project.writeConfig({ ...contosoStack, exchange: { kind: "exchange-online", appId: "6a4c5a0e-6c5e-4a9b-9b0e-3f1d2c7e8a11", organization: "contoso.onmicrosoft.com", certificateFilePath: "/x.pfx" } });
    const r = await rehearse(["init"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("coexist:exchange and coexist:source must both be kind simulator to rehearse");
  });
});
