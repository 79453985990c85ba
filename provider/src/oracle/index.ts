// The mail-routing oracle: where does a message end in a given simulated world?
export { traceMail, viewOf, overlay, traceAll, describeTrace, describeOutcome, normalizeAddress, addressDomain, ipInRange, recipientPrimary, IN_ORGANIZATION_READINGS, MAX_HOPS } from "./routing";
export type { Trace, Hop, MailMessage, Outcome, System, RoutingWorld, View, UserOverride, TenantRecipient, InOrganizationReading, TraceOptions } from "./routing";
