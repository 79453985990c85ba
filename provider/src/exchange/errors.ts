import { z } from "zod";

/**
 * What callers may decide on. Only `not-found` means "absent": a timeout or a throttle is never
 * taken for a missing object (the Microsoft365DSC bug that turns throttling into false drift).
 */
export const ErrorKind = z.enum([
  "not-found",
  "already-exists",
  "throttled",
  "transient",
  "invalid-parameter",
  "auth",
  /**
   * One Google user the service account cannot impersonate (deleted or suspended): the token
   * request for that user fails with invalid_grant, "Not a valid email or Invalid email or User
   * ID. The user doesn't exist." (Google's "Using OAuth 2.0 for Server to Server Applications",
   * error codes). Not `auth`: the key and its delegation are fine, and every other user reads.
   */
  "user-unavailable",
  "other",
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const ErrorPayload = z.object({
  kind: ErrorKind,
  /** Exchange's exception type when known, e.g. ManagementObjectNotFoundException. */
  reason: z.string().optional(),
  message: z.string(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

export class ExchangeError extends Error {
  readonly kind: ErrorKind;
  readonly reason: string | undefined;
  readonly cmdlet: string | undefined;
  constructor(payload: ErrorPayload, cmdlet?: string) {
    super(cmdlet ? `${cmdlet}: ${payload.message}` : payload.message);
    this.name = "ExchangeError";
    this.kind = payload.kind;
    this.reason = payload.reason;
    this.cmdlet = cmdlet;
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ExchangeError && e.kind === "not-found";
export const isAlreadyExists = (e: unknown): boolean => e instanceof ExchangeError && e.kind === "already-exists";
/** A Google user who cannot be impersonated (deleted or suspended): their Gmail forwards nothing. */
export const isUserUnavailable = (e: unknown): boolean => e instanceof ExchangeError && e.kind === "user-unavailable";
