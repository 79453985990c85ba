import * as fs from "node:fs";
import { spawnSync } from "node:child_process";
import { commandLog, Rehearsal } from "@coexist/provider/testing";
import { contosoStack, e2eRunners, rehearsalProject } from "../harness/rehearsal";

// Two stacks of one project on one simulated tenant (issue 24, "Ownership"): the objects the
// first creates carry its marker, so the second refuses them at preview and at up, works beside
// them under its own names, and its destroy leaves them be. An unmarked object is taken over
// only when coexist:adopt lists it.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable|Update)-/;
const USERS = ["alice", "bob", "carol"];
const CONNECTOR = "Shared Name Space with External Entity TRSC";

describe.each(e2eRunners)("ownership of the shared objects through the real CLI (%s)", (runner) => {
  const project = rehearsalProject("own", { runner });
  const { rehearsal } = project;
  const base = { ...contosoStack, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  // The second stack: the same project and the same simulated world, its own state and stack file.
  const second = new Rehearsal(project.dir, "own-b", rehearsal.stateFile, project.env);
  const writeSecond = (config: Record<string, unknown>) =>
    fs.writeFileSync(second.stackFile, JSON.stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`coexist:${k}`, v])) }, null, 2));
  afterAll(() => project.cleanup());

  async function succeeds(run: Promise<{ code: number; output: string }>) {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
  }
  const writesSince = (n: number) => commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet));
  const owned = () => {
    const t = rehearsal.world().tenant;
    return {
      groups: t.groups.map((g) => `${g.Name}: ${g.Notes}`),
      connectors: t.outboundConnectors.map((o) => `${o.Name}: ${o.Comment}`),
      rules: t.transportRules.map((r) => `${r.Name}: ${r.Comments}`).sort(),
    };
  };

  it("marks every shared object the first stack creates with coexist:<project>/<stack>, keeping its own text", async () => {
    project.writeConfig(base);
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS });
    await succeeds(rehearsal.up());
    expect(owned()).toEqual({
      groups: ["Migrated Users: Managed by coexist: members are users whose mailbox lives in Exchange Online. [coexist:coexist/own]"],
      connectors: [`${CONNECTOR}: TransportRule Scoped Connector for shared namespace contoso.com [coexist:coexist/own]`],
      rules: ["Coexistence: Redirect in-org mail to Foreign Server except for members of a specific group [coexist:coexist/own]", "Inbound from Shared Namespace: [coexist:coexist/own]"],
    });
  });

  it("refuses the first stack's group and connector at the second stack's preview and up, naming them and the owner, writing nothing", async () => {
    writeSecond(base);
    spawnSync("pulumi", ["stack", "init", second.stack, "--non-interactive"], { cwd: project.dir, env: project.env, stdio: "ignore" });
    const n = commandLog(rehearsal.stateFile).length;
    const preview = await second.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("Group 'Migrated Users' belongs to stack coexist/own (its Notes carries [coexist:coexist/own]), not to coexist/own-b");
    expect(preview.output).toContain("Give this stack its own name (coexist:names.group and coexist:names.groupAddress), or destroy it from stack coexist/own.");
    // The engine stops at the first refusal: with a group of its own, the connector is the next.
    writeSecond({ ...base, names: { group: "Migrated Users B", groupAddress: "migrated-b@contoso.com" } });
    const next = await second.run(["preview"]);
    expect(next.code).not.toBe(0);
    expect(next.output).toContain(`Outbound connector '${CONNECTOR}' belongs to stack coexist/own (its Comment carries [coexist:coexist/own])`);
    expect(next.output).toContain("coexist:names.connector");
    writeSecond(base);
    const up = await second.up();
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("Group 'Migrated Users' belongs to stack coexist/own");
    // Only the accepted domain, shared by nature and already InternalRelay, is set again.
    expect(writesSince(n).map((l) => l.cmdlet).filter((c) => c !== "Set-AcceptedDomain")).toEqual([]);
  });

  it("proceeds under its own names beside the first stack's objects, and its destroy never deletes them", async () => {
    const before = owned();
    writeSecond({
      ...base,
      names: { group: "Migrated Users B", groupAddress: "migrated-b@contoso.com", connector: "Coexistence B to source", coexistenceRule: "Coexistence B", bypassRule: "Inbound from Shared Namespace B" },
      acknowledge: USERS.map((u) => `${u}@contoso.com`),
    });
    await succeeds(second.up());
    expect(owned().connectors).toContain("Coexistence B to source: TransportRule Scoped Connector for shared namespace contoso.com [coexist:coexist/own-b]");

    // The cleanup guard lets the destroy run once MX points at Exchange Online.
    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(second.destroy());
    expect(owned()).toEqual(before);
    expect(writesSince(n).filter((l) => /^Remove-/.test(l.cmdlet!)).map((l) => String(l.parameters?.Identity))).not.toContain(CONNECTOR);
  });
});

describe("adopting an unmarked pre-existing connector through the real CLI", () => {
  const project = rehearsalProject("own-adopt");
  const { rehearsal } = project;
  const base = { ...contosoStack, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  afterAll(() => project.cleanup());

  it("is refused at preview until coexist:adopt lists the connector, then up takes it over and marks its Comment", async () => {
    project.writeConfig(base);
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS });
    // Made by hand before coexist: the recipe's settings, no marker.
    rehearsal.updateWorld((w) =>
      w.tenant.outboundConnectors.push({
        Guid: "hand-made-connector",
        Name: CONNECTOR,
        Enabled: true,
        ConnectorType: "Partner",
        Comment: "made by hand",
        RecipientDomains: [],
        SmartHosts: ["mail.contoso-source.example"],
        UseMXRecord: false,
        TlsSettings: null,
        TlsDomain: null,
        IsTransportRuleScoped: true,
        AllAcceptedDomains: false,
        CloudServicesMailEnabled: false,
        RouteAllMessagesViaOnPremises: false,
        SenderRewritingEnabled: false,
        TestMode: false,
      }),
    );
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(`Outbound connector '${CONNECTOR}' already exists in Exchange and no stack's marker is in its Comment`);
    expect(preview.output).toContain(`list '${CONNECTOR}' in coexist:adopt`);

    project.writeConfig({ ...base, adopt: [CONNECTOR] });
    const r = await rehearsal.up();
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    const connectors = rehearsal.world().tenant.outboundConnectors;
    expect(connectors.map((o) => [o.Guid, o.Comment])).toEqual([["hand-made-connector", "TransportRule Scoped Connector for shared namespace contoso.com [coexist:coexist/own-adopt]"]]);
  });
});
