import { z } from "zod";
import { ParameterValue } from "./command";
import { ErrorPayload } from "./errors";

/**
 * The runner protocol: newline-delimited JSON, one request per line on stdin, one response per
 * request on stdout, in order. Both runners (runner.ps1 and the simulated tenant) speak it; see
 * docs/runner-protocol.md.
 */
export const PROTOCOL_VERSION = 1;

/**
 * Which cmdlets a session runs: Exchange Online's, an Exchange source's (on-premises), or a
 * Google Workspace source's (PSGSuite, docs/design/sources-google-and-vendor.md §3.3).
 */
export const Role = z.enum(["exchange", "source", "google"]);
export type Role = z.infer<typeof Role>;

export const ConnectRequest = z.object({
  id: z.number().int(),
  type: z.literal("connect"),
  role: Role,
  /** Connection settings; may hold secrets, so runners never echo or log it. */
  target: z.record(z.string(), z.unknown()),
  /** The cmdlets this session may run (Connect-ExchangeOnline -CommandName, and the runner's own gate). */
  allow: z.array(z.string()),
});
export type ConnectRequest = z.infer<typeof ConnectRequest>;

export const InvokeRequest = z.object({
  id: z.number().int(),
  type: z.literal("invoke"),
  cmdlet: z.string(),
  parameters: z.record(z.string(), ParameterValue),
});
export type InvokeRequest = z.infer<typeof InvokeRequest>;

/**
 * What the runner's machine has, for `npm run preflight`; needs no connection. The pwsh runner
 * reports $PSVersionTable and the highest installed version of each module preflight checks
 * (Get-Module -ListAvailable); the simulator reports its target's `environment`.
 */
export const ProbeRequest = z.object({ id: z.number().int(), type: z.literal("probe") });
export type ProbeRequest = z.infer<typeof ProbeRequest>;

export const ProbeOutput = z.object({
  runner: z.string(),
  /** $PSVersionTable.PSVersion, e.g. "7.6.0". */
  powershell: z.string(),
  /** $PSVersionTable.Platform: "Win32NT" or "Unix". */
  platform: z.string(),
  /** Highest installed version per module (ExchangeOnlineManagement, PSWSMan), null when absent. */
  modules: z.record(z.string(), z.string().nullable()),
});
export type ProbeOutput = z.infer<typeof ProbeOutput>;

/** A connect's answer lists the allow-listed cmdlets the session loaded (what the account's role grants). */
export const LoadedCmdlet = z.object({ Name: z.string() });

export const Request = z.discriminatedUnion("type", [ConnectRequest, InvokeRequest, ProbeRequest]);
export type Request = z.infer<typeof Request>;

/** The first line a runner writes once it is ready for requests. */
export const Hello = z.object({ type: z.literal("hello"), runner: z.string(), protocol: z.number() });

export const Response = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), output: z.array(z.record(z.string(), z.unknown())) }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: ErrorPayload }),
]);
export type Response = z.infer<typeof Response>;
