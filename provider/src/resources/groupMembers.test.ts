import { FILL_UPDATE_MAX, pendingFill, pendingMembers } from "./groupMembers";

const users = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `user${String(from + i).padStart(5, "0")}@contoso.com`);
const GROUP = "accounts@contoso.com";
const shape = (cs: ReturnType<typeof pendingFill>) => cs.map((c) => (c.cmdlet === "Update-DistributionGroupMember" ? `Update ${(c.parameters.Members as string[]).length}` : "Add"));

describe("pendingFill: the group fill as the group resource runs it and the safety gate models it", () => {
  it("fills a group of up to 5,000 members with one Update naming them all", () => {
    const fill = pendingMembers(users(3), [], new Set(), "contoso.com");
    expect(pendingFill(GROUP, fill, new Set())).toEqual([
      { cmdlet: "Update-DistributionGroupMember", parameters: { Identity: GROUP, Members: users(3), Confirm: false, BypassSecurityGroupManagerCheck: true } },
    ]);
  });

  it("fills 12,000 as the Exchange Online article advises: an Update of 5,000 within the REST timeout, then one Add for each of the rest", () => {
    const fill = pendingMembers(users(12_000), [], new Set(), "contoso.com");
    const commands = pendingFill(GROUP, fill, new Set());
    expect(FILL_UPDATE_MAX).toBe(5_000);
    expect(shape(commands)).toEqual(["Update 5000", ...Array(7_000).fill("Add")]);
    expect(commands.slice(1).map((c) => c.parameters.Member)).toEqual(users(7_000, 5_000));
  });

  it("keeps today's members in the Update, so no member is ever taken out, even for a moment", () => {
    const today = new Set(users(100));
    const fill = pendingMembers(users(9_000), [], today, "contoso.com");
    const [update, ...adds] = pendingFill(GROUP, fill, today);
    expect(update!.parameters.Members).toEqual(expect.arrayContaining([...today]));
    expect((update!.parameters.Members as string[]).length).toBe(5_000);
    expect(adds).toHaveLength(4_000);
    expect(new Set([...(update!.parameters.Members as string[]), ...adds.map((c) => c.parameters.Member as string)])).toEqual(new Set(users(9_000)));
  });

  it("adds one by one, with no Update, once the group has 5,000 members or more: an Update naming them all could time out", () => {
    const today = new Set(users(6_000));
    const fill = pendingMembers(users(6_010), [], today, "contoso.com");
    expect(shape(pendingFill(GROUP, fill, today))).toEqual(Array(10).fill("Add"));
  });

  it("runs nothing when nobody is added", () => {
    const today = new Set(users(10));
    expect(pendingFill(GROUP, pendingMembers(users(10), [], today, "contoso.com"), today)).toEqual([]);
  });
});

describe("pendingMembers: who is still at the source", () => {
  const mailbox = (alias: string, forwarding: { ForwardingAddress?: string; ForwardingSmtpAddress?: string }) => ({
    PrimarySmtpAddress: `${alias}@contoso.com`,
    EmailAddresses: [`SMTP:${alias}@contoso.com`],
    ForwardingAddress: forwarding.ForwardingAddress ?? null,
    ForwardingSmtpAddress: forwarding.ForwardingSmtpAddress ?? null,
  });

  it("reads ForwardingAddress first, as Exchange does (ForwardingSmtpAddress is then ignored): a user whose ForwardingAddress names a colleague still lives at the source", () => {
    const mailboxes = [
      // ForwardingAddress to a colleague at the source, a stale ForwardingSmtpAddress to the tenant: mail goes to bob.
      mailbox("alice", { ForwardingAddress: "bob", ForwardingSmtpAddress: "smtp:alice@contoso.onmicrosoft.com" }),
      // ForwardingAddress to the tenant: migrated, never added.
      mailbox("carol", { ForwardingAddress: "carol@contoso.onmicrosoft.com" }),
      mailbox("dave", { ForwardingSmtpAddress: "smtp:dave@contoso.onmicrosoft.com" }),
    ];
    const { added } = pendingMembers(["alice@contoso.com", "carol@contoso.com", "dave@contoso.com"], mailboxes, new Set(), "contoso.com");
    expect(added).toEqual(["alice@contoso.com"]);
  });
});
