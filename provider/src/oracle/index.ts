// The mail-routing oracle: where does a message end in a given simulated world?
export { traceMail, viewOf, overlay, traceAll, describeTrace, describeOutcome, normalizeAddress, addressDomain, ipInRange, MAX_HOPS } from "./routing";
export type { Trace, Hop, MailMessage, Outcome, System, RoutingWorld, View, UserOverride } from "./routing";
