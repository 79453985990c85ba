/**
 * Pulumi's dynamic-provider host prints every error a provider throws to stderr as
 * `${e}: ${e.stack}` before returning it to the engine (cmd/dynamic-provider/index.js, each
 * method's catch), and the CLI shows that stderr too: a refusal meant for the user reads
 * "Error: X: Error: X" and a JavaScript stack trace. An error registered here is a message, not a
 * crash: its exact stderr line is dropped, and the engine still reports its message once.
 * Errors not registered (bugs) keep their traces.
 */
const KEY = Symbol.for("coexist.quietErrors");
type Slot = { texts: Set<string>; installed: boolean };
const slot = (): Slot => ((globalThis as Record<symbol, Slot>)[KEY] ??= { texts: new Set(), installed: false });

export function quiet<E>(e: E): E {
  if (!(e instanceof Error)) return e;
  const s = slot();
  if (!s.installed) {
    s.installed = true;
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === "string" && s.texts.has(args[0])) {
        s.texts.delete(args[0]);
        return;
      }
      original(...args);
    };
  }
  s.texts.add(`${e}: ${e.stack}`);
  return e;
}

/** An error that is a message for the user (a refusal, a conflict), not a bug: reported without a trace. */
export class UserError extends Error {
  override name = "UserError";
}
