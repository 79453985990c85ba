import { connectKindOf, kindOf } from "../exchange/errorKinds";
import { ErrorKind, ExchangeError } from "../exchange/errors";

/**
 * Every error the simulator can raise: Exchange's own texts (shared/reference/exchange-cmdlets.md,
 * which names the docs page or error-string table [X] of each) and the simulated runner's, by
 * exception type. The simulator never sets a kind itself: `raise` derives it from the one error
 * table (exchange/errorKinds.ts), as runner.ps1 does for a real Exchange. `means` is the kind the
 * error is meant to have; errorKinds.test.ts holds the table to it for every entry, and the
 * simulator raises errors only through this catalogue, so no text can land without one.
 */
export interface SimulatorError<A extends unknown[]> {
  means: ErrorKind;
  reason: string;
  text: (...args: A) => string;
  /** Arguments for the test: a message as the simulator would write it. */
  example: NoInfer<A>;
  /** A failed connect: its kind is the connect rule's (auth unless throttled), as in runner.ps1. */
  connect?: true;
}
const def = <A extends unknown[]>(e: SimulatorError<A>): SimulatorError<A> => e;

/** Exchange Online's directory server, as EXO V3 names it in not-found texts (reference §0). */
export const EXO_SERVER = "AM0PR06A001DC01.EURPR06A001.prod.outlook.com";

/** An API error as the Google .NET client words it (see the Google entries below). */
const gapi = (message: string, code: number, reason: string, domain: string): string =>
  `Google.Apis.Requests.RequestError\r\n${message} [${code}]\r\nErrors [ Message[${message}] Location[ - ] Reason[${reason}] Domain[${domain}] ]`;

export const simulatorErrors = {
  // ---- identities (reference §0)
  notFound: def({
    means: "not-found",
    reason: "ManagementObjectNotFoundException",
    text: (identity: string, server: string) => `The operation couldn't be performed because object '${identity}' couldn't be found on '${server}'.`,
    example: ["contoso.com", EXO_SERVER],
  }),
  ambiguous: def({
    means: "other",
    reason: "ManagementObjectAmbiguousException",
    text: (identity: string) => `The operation couldn't be performed because '${identity}' matches multiple entries.`,
    example: ["sales"],
  }),
  unresolvedRecipient: def({
    means: "not-found",
    reason: "ManagementObjectNotFoundException",
    text: (identity: string) => `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`,
    example: ["ghost@contoso.com"],
  }),
  proxyInUse: def({
    means: "already-exists",
    reason: "ProxyAddressExistsException",
    text: (address: string, owner: string) =>
      `The proxy address "${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner}". Please choose another proxy address.`,
    example: ["SMTP:migrated@contoso.com", "alice"],
  }),
  objectExists: def({
    means: "already-exists",
    reason: "ADObjectAlreadyExistsException",
    text: (server: string, dn: string) => `Active Directory operation failed on ${server}. The object '${dn}' already exists.`,
    example: [EXO_SERVER, "CN=Sales,OU=contoso.onmicrosoft.com"],
  }),

  // ---- accepted domains (reference §1)
  externalRelay: def({
    means: "other",
    reason: "InvalidOperationException",
    text: () => "External relay domains aren't allowed in your organization.",
    example: [],
  }),
  matchSubDomainsNeedsInternalRelay: def({
    means: "invalid-parameter",
    reason: "MatchSubDomainsIsInternalRelayOnlyException",
    text: () => "MatchSubDomains can only be enabled on an InternalRelay domain.",
    example: [],
  }),

  // ---- groups (reference §2)
  notGroupManager: def({
    means: "auth",
    reason: "OperationRequiresGroupManagerException",
    text: () => "You don't have sufficient permissions. This operation can only be performed by a manager of the group.",
    example: [],
  }),
  ownerNotAutoAssigned: def({
    means: "other",
    reason: "RecipientTaskException",
    text: () => "The group can't be created because the owner couldn't be auto-assigned. Run the command again, and this time use the ManagedBy parameter.",
    example: [],
  }),
  domainNotAccepted: def({
    means: "other",
    reason: "RecipientTaskException",
    text: (domain: string) => `You can't use the domain ${domain} because it's not an accepted domain for your organization.`,
    example: ["fabrikam.com"],
  }),
  securityGroupDepartOpen: def({
    means: "other",
    reason: "RecipientTaskException",
    text: () => "Members can't remove themselves from security groups. Please set the group to Closed for requests to leave.",
    example: [],
  }),
  securityGroupJoinOpen: def({
    means: "other",
    reason: "RecipientTaskException",
    text: () => "Members can't add themselves to security groups. Please set the group to Closed or ApprovalRequired for requests to join.",
    example: [],
  }),
  alreadyMember: def({
    means: "already-exists",
    reason: "MemberAlreadyExistsException",
    text: (recipient: string, group: string) => `The recipient "${recipient}" is already a member of the group "${group}".`,
    example: ["alice@contoso.com", "Migrated Users"],
  }),
  notMember: def({
    means: "not-found",
    reason: "MemberNotFoundException",
    text: (recipient: string, group: string) => `The recipient "${recipient}" isn't a member of the group "${group}".`,
    example: ["alice@contoso.com", "Migrated Users"],
  }),

  // ---- outbound connectors (reference §3: TenantOutboundConnector.ValidateWrite [X])
  connectorExists: def({
    means: "already-exists",
    reason: "DataValidationException",
    text: (name: string) => `Outbound connector '${name}' already exists.`,
    example: ["To Source"],
  }),
  connectorScope: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: () => "RecipientDomains must be specified for a Non-TransportRuleScoped connector, RecipientDomains should not be specified otherwise.",
    example: [],
  }),
  smartHostsRequired: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: () => "Smart hosts must be specified if UseMXRecord is false.",
    example: [],
  }),
  mxWithSmartHosts: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: () => "UseMXRecord should be false if smart hosts are specified.",
    example: [],
  }),
  domainValidationWithoutTlsDomain: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: () => "Tls Settings should not be set to DomainValidation if TlsDomain is not specified.",
    example: [],
  }),
  onPremisesWithMx: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: () => "'OnPremises' type of outbound connector cannot have UseMXRecord set to true.",
    example: [],
  }),
  onPremisesOnly: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: (setting: string) => `${setting} cannot be set to true if Connector type is not OnPremises.`,
    example: ["RouteAllMessagesViaOnPremises"],
  }),
  smartHostIpv6: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: (host: string) => `SmartHost IPAddress '${host}' should be only IPV4 address.`,
    example: ["2001:db8::25"],
  }),
  smartHostReserved: def({
    means: "invalid-parameter",
    reason: "DataValidationException",
    text: (range: string) => `IP range '${range}' contains reserved IP addresses.`,
    example: ["127.0.0.1"],
  }),
  stillReferenced: def({
    means: "other",
    reason: "InvalidOperationException",
    text: () => "One or more transport rules are still referencing the specified connector.",
    example: [],
  }),

  // ---- IP values: PowerShell's binder refuses a value its type cannot parse. The inner text
  // is not documented; assumed, in the binder's usual "Cannot process argument transformation" form.
  invalidIpValue: def({
    means: "invalid-parameter",
    reason: "ParameterBindingArgumentTransformationException",
    text: (parameter: string, value: string, type: string) =>
      `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${value}" to type "${type}". Error: "'${value}' is not a valid IP address or range."`,
    example: ["SenderIpRanges", "1.2.3.400", "Microsoft.Exchange.Data.IPRange"],
  }),

  // ---- transport rules (reference §4)
  ruleConnectorMissing: def({
    means: "invalid-parameter",
    reason: "ArgumentException",
    text: (identity: string) => `Unable to find outbound connector with the following identity: '${identity}'.`,
    example: ["missing"],
  }),
  ruleConnectorDisabled: def({
    means: "invalid-parameter",
    reason: "ArgumentException",
    text: (name: string) => `The connector "${name}" is not enabled. Please enable the connector or specify a different connector.`,
    example: ["To Source"],
  }),
  ruleConnectorNotScoped: def({
    means: "invalid-parameter",
    reason: "ArgumentException",
    text: (name: string) => `The connector "${name}" is not scoped to any transport rules. Please modify the connector or specify a different connector.`,
    example: ["To Source"],
  }),
  // A name clash, whatever the exception type: already-exists, as the table says for every
  // "already exists" (the connector's is a DataValidationException). Callers read before they
  // create, so nothing retries or adopts on it; the kind only has to say what happened.
  ruleExists: def({
    means: "already-exists",
    reason: "ArgumentException",
    text: () => "A rule with this name already exists.",
    example: [],
  }),
  ruleTooLarge: def({
    means: "invalid-parameter",
    reason: "ArgumentException",
    text: (size: number, max: number) => `The rule can't be created because it is too large. It has ${size} characters, and the maximum number of characters is ${max}.`,
    example: [9000, 8192],
  }),
  // A limit, not a clash, though its text says "already exists": the table's row for it comes first.
  tooManyRules: def({
    means: "other",
    reason: "InvalidOperationException",
    text: (max: number) => `The rule can't be created because the maximum number of transport rules already exists. The maximum number is ${max}.`,
    example: [300],
  }),
  priorityTooHigh: def({
    means: "invalid-parameter",
    reason: "ArgumentOutOfRangeException",
    text: () => "The specified rule priority is invalid. The rule priority can't exceed the number of rules you currently have.",
    example: [],
  }),

  // ---- the source's Set-Mailbox. Not documented; assumed: the primary address stays until another replaces it.
  primaryNotRemovable: def({
    means: "other",
    reason: "RecipientTaskException",
    text: (address: string) => `The primary SMTP address "${address}" can't be removed.`,
    example: ["alice@contoso.com"],
  }),

  // ---- a Google Workspace source (simulator/google.ts). The Google .NET client that PSGSuite
  // wraps words an API error as "Google.Apis.Requests.RequestError\r\n<message> [<code>]\r\nErrors
  // [ Message[<message>] Location[ - ] Reason[<reason>] Domain[<domain>] ]" (code-index excerpts,
  // docs/design/sources-google-and-vendor.md §2); its exception is Google.GoogleApiException.
  // Through PSGSuite's ThrowTerminatingError, PowerShell may wrap the text as 'Exception calling
  // "Execute" ...' and name MethodInvocationException (not verified at runtime).
  gmailDuplicate: def({
    means: "already-exists",
    reason: "GoogleApiException",
    // Unverified: 409/duplicate appears only in third-party code that treats 409 as "already exists" (design §2, §8.2).
    text: () => gapi("Already exists", 409, "duplicate", "global"),
    example: [],
  }),
  gmailInvalidForwarding: def({
    means: "invalid-parameter",
    reason: "GoogleApiException",
    // GAM-team/GAM#799: "ERROR: 400: Invalid forwarding address - failedPrecondition", in the .NET client's format.
    text: () => gapi("Invalid forwarding address", 400, "failedPrecondition", "global"),
    example: [],
  }),
  gmailForwardingNotAllowed: def({
    means: "invalid-parameter",
    reason: "GoogleApiException",
    // MicrosoftDocs/OfficeDocs-Exchange#2363: "The requested forwarding address is not allowed. ... (400) Bad
    // Request. Uri: .../settings/forwardingAddresses". Its Reason is not quoted there: badRequest assumed
    // (the 400 reason of Gmail's guides/handle-errors).
    text: () => gapi("The requested forwarding address is not allowed.", 400, "badRequest", "global"),
    example: [],
  }),
  gmailForwardingDisabled: def({
    means: "auth",
    reason: "GoogleApiException",
    // Invented (design §4.1, §8.2): what the API says when the admin setting forbids users to forward is not documented.
    text: () => gapi("Forwarding is disabled by the administrator", 403, "forbidden", "global"),
    example: [],
  }),
  gmailAddressInUse: def({
    means: "invalid-parameter",
    reason: "GoogleApiException",
    // Invented (design §4.1, §8.2): deleting the address an enabled auto-forward uses is assumed refused.
    text: () => gapi("The forwarding address is used by auto-forwarding", 400, "failedPrecondition", "global"),
    example: [],
  }),
  gmailNotFound: def({
    means: "not-found",
    reason: "GoogleApiException",
    // A missing forwarding address (get, delete): "404 - Not Found: The requested resource couldn't be found"
    // (guides/handle-errors); the message and reason words are assumed. A missing user never gets this far: the
    // token request impersonating it fails first (gmailUserUnavailable).
    text: () => gapi("Not Found", 404, "notFound", "global"),
    example: [],
  }),
  // The token request for a user the service account cannot impersonate. Google's service-account
  // guide (developers.google.com/identity/protocols/oauth2/service-account, error codes):
  // "invalid_grant | Not a valid email or Invalid email or User ID. | The user doesn't exist." The
  // .NET client throws TokenResponseException, whose message is TokenErrorResponse.ToString(),
  // 'Error:"<error>", Description:"<description>", Uri:"<uri>"' (google-api-dotnet-client,
  // Google.Apis.Auth/OAuth2/Responses). For a suspended user the description is not documented:
  // the same is assumed. PowerShell may wrap it as 'Exception calling "Execute" ...' (not verified).
  gmailUserUnavailable: def({
    means: "user-unavailable",
    reason: "TokenResponseException",
    text: (description: string) => `Error:"invalid_grant", Description:"${description}", Uri:""`,
    example: ["Invalid email or User ID"],
  }),
  gmailUserNotFoundDirectory: def({
    means: "not-found",
    reason: "GoogleApiException",
    // Directory API users.get for an unknown userKey: the text commonly reported; not in the stored sources (unverified).
    text: () => gapi("Resource Not Found: userKey", 404, "notFound", "global"),
    example: [],
  }),
  gmailUserRateLimit: def({
    means: "throttled",
    reason: "GoogleApiException",
    // reference/quota: 15,000 units per user per minute (userRateLimitExceeded); guides/handle-errors: 429 "User-rate
    // limit exceeded". The usageLimits domain is assumed from the project limit's text below.
    text: () => gapi("User-rate limit exceeded", 429, "userRateLimitExceeded", "usageLimits"),
    example: [],
  }),
  gmailProjectRateLimit: def({
    means: "throttled",
    reason: "GoogleApiException",
    // reference/quota: 1,200,000 units per project per minute (rateLimitExceeded). The text as seen from the .NET
    // client: "Rate Limit Exceeded [429] Errors [ Message[Rate Limit Exceeded] Location[ - ] Reason[rateLimitExceeded]
    // Domain[usageLimits] ]" (a Stack Overflow question of 2014, copied at exchangetuts.com).
    text: () => gapi("Rate Limit Exceeded", 429, "rateLimitExceeded", "usageLimits"),
    example: [],
  }),
  gmailBackendError: def({
    means: "transient",
    reason: "GoogleApiException",
    // Seen with the .NET client beside the rate limit above: "Backend Error [500] ... Reason[backendError] Domain[global]".
    text: () => gapi("Backend Error", 500, "backendError", "global"),
    example: [],
  }),

  // ---- the simulated runner: protocol texts are coexist's own (docs/runner-protocol.md), as runner.ps1's
  malformed: def({
    means: "invalid-parameter",
    reason: "ProtocolException",
    text: (problem: string) => `Malformed request: ${problem}`,
    example: ["id must be an integer."],
  }),
  notRecognized: def({
    means: "invalid-parameter",
    reason: "CommandNotFoundException",
    text: (cmdlet: string) => `The term '${cmdlet}' is not recognized as a name of a cmdlet allowed for this session.`,
    example: ["Remove-Mailbox"],
  }),
  notConnected: def({
    means: "auth",
    reason: "AuthenticationException",
    text: () => "There is no connection. Send a connect request first.",
    example: [],
  }),
  badSettings: def({
    means: "auth",
    reason: "AuthenticationException",
    text: (issue: string) => `The simulated tenant rejected the connection settings: ${issue}`,
    example: ["stateFile: must not be empty"],
    connect: true,
  }),
  // Connect-ExchangeOnline -CertificateFilePath with a wrong -CertificatePassword: .NET cannot open the .pfx.
  wrongCertificatePassword: def({
    means: "auth",
    reason: "CryptographicException",
    text: () => "The certificate could not be loaded: the specified network password is not correct.",
    example: [],
    connect: true,
  }),
  // New-PSSession to on-premises Exchange with wrong credentials (about_Remote_Troubleshooting).
  accessDenied: def({
    means: "auth",
    reason: "PSRemotingTransportException",
    text: (server: string) =>
      `Connecting to remote server ${server} failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.`,
    example: ["mail.contoso-source.example"],
    connect: true,
  }),
  // Remote PowerShell only (the on-premises source): the throttling policy's PowerShellMaxConcurrency
  // caps a user's open sessions (Set-ThrottlingPolicy.md). The text is the one seen for the
  // Remote PowerShell era (Microsoft365DSC #359; reference §6).
  runspaceCap: def({
    means: "throttled",
    reason: "PSRemotingTransportException",
    text: (max: number) => `Fail to create a runspace because you have exceeded the maximum number of connections allowed : ${max} for the policy party : MaxConcurrency.`,
    example: [3],
    connect: true,
  }),
  // Exchange Online (EXO V3, REST): throttling texts and limits are not documented
  // (exchange-online-powershell-v2.md names built-in retries only); assumed: the REST call's
  // HTTP 429, as .NET's HttpClient words it.
  restThrottled: def({
    means: "throttled",
    reason: "HttpRequestException",
    text: () => "Response status code does not indicate success: 429 (Too Many Requests).",
    example: [],
  }),
  // The on-premises source's cmdlet budget (PowerShellMaxCmdlets per PowerShellMaxCmdletsTimePeriod,
  // Set-ThrottlingPolicy.md). Exchange's text for it is not documented: this one is the simulator's own.
  budgetThrottled: def({
    means: "throttled",
    reason: "ThrottlingException",
    text: (seconds: number) => `The request was throttled: the session's cmdlet budget is used up. Retry after ${seconds} seconds.`,
    example: [4],
  }),
  // A directory hiccup (reference §6: "Transient REST errors are HTTP 500/503 (e.g. ADTransientException)").
  // A REST call past Exchange Online's 15-minute timeout (exchange-online-powershell-v2.md). The
  // module's text for it is not documented: this is .NET's HttpClient.Timeout text, which the REST
  // client's timeout would raise (an assumption), read as transient ("timed? ?out").
  restTimeout: def({
    means: "transient",
    reason: "TaskCanceledException",
    text: (seconds: number) => `The request was canceled due to the configured HttpClient.Timeout of ${seconds} seconds elapsing.`,
    example: [900],
  }),
  transientFault: def({
    means: "transient",
    reason: "ADTransientException",
    text: () => "Active Directory operation failed: the domain controller is not available right now. Please try again later.",
    example: [],
  }),
};

export type SimulatorErrorName = keyof typeof simulatorErrors;
type Args<K extends SimulatorErrorName> = Parameters<(typeof simulatorErrors)[K]["text"]>;

/** The payload an error of the catalogue carries: its kind from the table, never set here. */
export function errorPayload<K extends SimulatorErrorName>(name: K, ...args: Args<K>): { kind: ErrorKind; reason: string; message: string } {
  const e = simulatorErrors[name] as SimulatorError<unknown[]>;
  const message = e.text(...args);
  return { kind: e.connect ? connectKindOf(e.reason, message) : kindOf(e.reason, message), reason: e.reason, message };
}

export function raise<K extends SimulatorErrorName>(name: K, ...args: Args<K>): never {
  throw new ExchangeError(errorPayload(name, ...args));
}
