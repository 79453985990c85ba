import type { Command } from "../../../exchange/command";
import type { SourceMailbox } from "../../../simulator/model";
import type { Context } from "../../context";
import type { KeptForward } from "../keptForwards";
import type { PlannedUser, Step, UserSettings } from "../userPlan";

/**
 * What a run remembers across runs: the users' own forwards coexist replaced (keptForwards.ts,
 * the file the gate reads), and ForwardingAddress values it could not put back (in state, for status).
 */
export interface Memory {
  kept: { get(user: string): KeptForward | undefined; keep(user: string, f: KeptForward): void; forget(user: string): void };
  notRestored: Record<string, string>;
}

/** What a step's effect is modelled with: whether Gmail accepts the routing address unverified, the vendor's name, now. */
export interface ApplyContext {
  gmailAccepts: boolean;
  vendor: string;
  now: string;
}

/**
 * One kind of source (coexist:source): the steps that turn a user's forward on and off there,
 * what each writes, what it does to the routing model's mailbox, and how it runs. The plan
 * (userPlan.ts), the safety gate (through the plan) and the MigratedMailboxes resource all go
 * through this one interface, so a kind's rules live in its own file: exchange.ts, gmail.ts,
 * vendor.ts.
 */
export interface SourceKind {
  /** Steps that make the live mailbox forward as the config wants (none when it already does). */
  forwardSteps(s: UserSettings, u: PlannedUser, m: SourceMailbox): Step[];
  /** Steps that turn coexist's forward off (a forward to Exchange Online; the owner's own is left). */
  unforwardSteps(s: UserSettings, u: PlannedUser, m: SourceMailbox): Step[];
  /** A rollback whose membership must wait (a vendor that has not confirmed the removal). */
  holdsMembership(u: PlannedUser, m: SourceMailbox | undefined, steps: readonly Step[]): boolean;
  /**
   * The user's own forward that this kind's forward replaces (to a colleague, outside: not to
   * Exchange Online), to keep and put back on rollback; undefined when there is none.
   */
  ownForward(s: UserSettings, u: PlannedUser, m: SourceMailbox): KeptForward | undefined;
  /** Whether a kept forward can be put back on this mailbox (Gmail: its address still verified). */
  restorable(kept: KeptForward, m: SourceMailbox): boolean;
  /** The write commands of one of this kind's steps (none for a worksheet row); a rollback's put `u.kept` back. */
  commands(s: UserSettings, u: PlannedUser, step: Step): Command[];
  /** A step as the change review shows it when it is not a cmdlet (a worksheet row). */
  ask(u: PlannedUser, step: Step): string | undefined;
  /** One step's effect on the routing model's mailbox. */
  apply(s: UserSettings, u: PlannedUser, step: Step, m: SourceMailbox, ctx: ApplyContext): SourceMailbox;
  /** Runs one of this kind's steps. */
  run(ctx: Context, s: UserSettings, u: PlannedUser, step: Step, memory: Memory): Promise<void>;
  /** `pulumi destroy`: the user's forward off, as commands for the review and as a run. */
  cleanupCommands(s: UserSettings, u: PlannedUser): Command[];
  cleanup(ctx: Context, s: UserSettings, u: PlannedUser, memory: Memory): Promise<void>;
}
