import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// Stack outputs say what was applied, never what was merely declared: they are counted from the
// resources' own outputs, so an up that fails leaves the last completed up's values.
describe("stack outputs through the real CLI", () => {
  const project = rehearsalProject("outputs");
  const { rehearsal } = project;
  afterAll(() => project.cleanup());
  const outputs = async () => JSON.parse(await rehearsal.must(["stack", "output", "--json"])) as Record<string, unknown>;

  it("count the users an up applied, per wave, and are not changed by an up that fails", async () => {
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave", "erin", "frank"] });
    expect((await rehearsal.up()).code).toBe(0);
    const after1 = { domain: "contoso.com", migratedUsers: 3, rolledBackUsers: 0, waves: { wave1: 3 } };
    expect(await outputs()).toEqual(after1);

    // Wave 2's forwards are refused by the source: its users are declared, not applied.
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv", "batches/wave2.csv"], source: { ...contosoStack.source, roleLacks: ["Set-Mailbox"] } });
    const failed = await rehearsal.up();
    expect(failed.code).not.toBe(0);
    expect(await outputs()).toEqual(after1);

    // Fixed, re-run: now they are applied. Then bob is rolled back.
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv", "batches/wave2.csv"] });
    expect((await rehearsal.up()).code).toBe(0);
    expect(await outputs()).toEqual({ domain: "contoso.com", migratedUsers: 5, rolledBackUsers: 0, waves: { wave1: 3, wave2: 2 } });
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv", "batches/wave2.csv"], rollback: ["bob@contoso.com"] });
    expect((await rehearsal.up()).code).toBe(0);
    expect(await outputs()).toEqual({ domain: "contoso.com", migratedUsers: 4, rolledBackUsers: 1, waves: { wave1: 2, wave2: 2 } });
  });
});
