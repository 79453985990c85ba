// The mail-routing oracle: where does a message end in a given simulated world?
export { traceMail, traceAll, describeTrace, describeOutcome, normalizeAddress, domainOf, ipInRange, MAX_HOPS } from "./routing";
export type { Trace, Hop, MailMessage, Outcome, System } from "./routing";
