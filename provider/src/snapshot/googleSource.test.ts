import { validateCommand } from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { ExchangeError } from "../exchange/errors";
import { traceMail } from "../oracle/routing";
import { googleCmdlets } from "../simulator/google";
import { World } from "../simulator/model";
import { initialWorld } from "../simulator/scenario";
import { readGoogleSource } from "./googleSource";

/*
 * Reading a Google Workspace source (googleSource.ts) over the simulated PSGSuite cmdlets
 * (simulator/google.ts), with users the service account cannot impersonate: suspended ones, and
 * one deleted between the directory read and its Gmail read.
 */

const world = (): World => initialWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob"], sourceKind: "google-workspace" });

/** Runs each command on `w` as the simulator runner would, logging the cmdlet and its user. */
function runner(w: World, log: string[], before?: (command: Command) => void) {
  return async <T,>(_pool: unknown, command: Command): Promise<T[]> => {
    before?.(command);
    const { command: valid } = validateCommand(command, "google");
    log.push(`${valid.cmdlet} ${(valid.parameters as { User?: string }).User ?? ""}`.trim());
    return googleCmdlets[valid.cmdlet]!(w, valid.parameters as never) as T[];
  };
}

describe("reading a Google source with users Google will not impersonate", () => {
  test("a suspended user is read from the directory alone, and its mail bounces at the source instead of failing the read as a credentials problem", async () => {
    const w = world();
    w.source.mailboxes.find((m) => m.Alias === "bob")!.suspended = true;
    const log: string[] = [];
    const side = await readGoogleSource(undefined as never, "contoso.com", runner(w, log));
    expect(log.filter((l) => l.endsWith("bob@contoso.com"))).toEqual([]);
    expect(side.mailboxes.map((m) => [m.PrimarySmtpAddress, m.suspended ?? false, m.ForwardingSmtpAddress])).toEqual([
      ["alice@contoso.com", false, null],
      ["bob@contoso.com", true, null],
    ]);
    const routing = { tenant: w.tenant, source: { ...w.source, ...side }, mx: { "contoso.com": "source" as const } };
    const trace = traceMail(routing, { to: "bob@contoso.com", entry: "internet" });
    expect({ outcome: trace.outcome, reason: trace.reason }).toEqual({ outcome: "bounce", reason: "bob@contoso.com is suspended at the source, which rejects its mail" });
    expect(traceMail(routing, { to: "alice@contoso.com", entry: "internet" }).outcome).toBe("delivered-source");
  });

  test("a user deleted after the directory read fails the read as user-unavailable, naming the user", async () => {
    const w = world();
    const deleteBob = (command: Command) => {
      if (command.cmdlet === "Get-GSGmailAutoForwardingSettings") w.source.mailboxes = w.source.mailboxes.filter((m) => m.Alias !== "bob");
    };
    const e = await readGoogleSource(undefined as never, "contoso.com", runner(w, [], deleteBob)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExchangeError);
    expect((e as ExchangeError).kind).toBe("user-unavailable");
    expect((e as ExchangeError).message).toContain("Google refused to impersonate bob@contoso.com (deleted or suspended since the directory was read)");
    expect((e as ExchangeError).message).toContain('Error:"invalid_grant", Description:"Invalid email or User ID"');
  });
});
