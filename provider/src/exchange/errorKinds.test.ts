import * as fs from "node:fs";
import * as path from "node:path";
import { validateCommand } from "./cmdlets";
import { connectKindOf, kindOf, portabilityProblem, readErrorTable } from "./errorKinds";
import { ExchangeError } from "./errors";
import { errorPayload, simulatorErrors, SimulatorErrorName } from "../simulator/errors";

/*
 * The one error table (provider/src/runner/errorKinds.json), read here exactly as runner.ps1's
 * Get-ErrorKind reads it (runner.ps1.test.ts proves the script reads this file): every error the
 * simulator can raise must get the kind it means, and Exchange's texts the kinds callers need.
 */

describe("the error table", () => {
  test("every row is a kind, a portable pattern and where its text was seen", () => {
    const rows = readErrorTable();
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(portabilityProblem(r.pattern)).toBeUndefined();
      expect(r.source.length).toBeGreaterThan(10);
    }
  });

  test.each([
    ["a lookbehind", "(?<=Ex)Exception"],
    ["a named group", "(?<type>\\w+Exception)"],
    ["an inline option", "(?i)throttl"],
    ["an atomic group", "(?>a+)b"],
    ["a Unicode class", "\\p{L}+"],
    ["a possessive repeat", "a++"],
    ["a broken pattern", "(unclosed"],
  ])("the portability check refuses %s", (_what, pattern) => {
    expect(portabilityProblem(pattern)).toBeDefined();
  });

  test("the portability check lets the table's constructs through", () => {
    for (const p of ["(?:HTTP|status code|\\()\\D{0,20}429\\b", "\\[429\\](?:[ \\t]*\\r?\\n|\\s*$|\\s+Errors \\[)", "ParameterBinding\\w*Exception", "Too ?Many ?Requests", "AADSTS\\d+"]) {
      expect(portabilityProblem(p)).toBeUndefined();
    }
  });

  // Exchange's texts (shared/reference/exchange-cmdlets.md, sections 0 and 6) and common .NET
  // and HTTP failures, with the kind callers must see.
  test.each([
    ["ManagementObjectNotFoundException", "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'contoso.com' couldn't be found on 'DB6PR06A001DC06.EURPR06A001.prod.outlook.com'.", "not-found"],
    ["ParameterBindingException", `Cannot process argument transformation on parameter 'Member'. Couldn't find object "ghost@contoso.com". Please make sure that it was spelled correctly or specify a different object.`, "not-found"],
    ["MemberAlreadyExistsException", "The recipient user@contoso.com is already a member of the group sales@contoso.com.", "already-exists"],
    ["PSRemotingTransportException", "Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency.", "throttled"],
    ["HttpRequestException", "Response status code does not indicate success: 429 (Too Many Requests).", "throttled"],
    ["WebException", "The remote server returned an error: (503) Server Unavailable.", "transient"],
    ["TimeoutException", "The operation has timed out.", "transient"],
    ["ParameterBindingValidationException", "Cannot validate argument on parameter 'Name'. The argument is null or empty.", "invalid-parameter"],
    ["RuntimeException", "A parameter cannot be found that matches parameter name 'Colour'.", "invalid-parameter"],
    ["MsalServiceException", "AADSTS700027: Client assertion contains an invalid signature.", "auth"],
    ["UnauthorizedAccessException", "Access is denied.", "auth"],
    ["ManagementObjectAmbiguousException", "The operation couldn't be performed because 'sales' matches multiple entries.", "other"],
    ["RecipientTaskException", "The group can't have more than 500 owners.", "other"],
  ])("reads %s as the kind callers need", (reason, message, kind) => {
    expect(kindOf(reason, message)).toBe(kind);
  });

  // The texts the two runners used to disagree on.
  test("'A rule with this name already exists.' is a name clash, though New-TransportRule throws it as an ArgumentException", () => {
    // already-exists: what happened is that the name is taken, as for "Outbound connector '…'
    // already exists." (a DataValidationException). The exception type only says where Exchange
    // checked it. Callers read before they create, so no retry or adoption hangs on it.
    expect(kindOf("ArgumentException", "A rule with this name already exists.")).toBe("already-exists");
  });

  test("the transport-rule limit is not a name clash, though its text says 'already exists'", () => {
    expect(kindOf("InvalidOperationException", "The rule can't be created because the maximum number of transport rules already exists. The maximum number is 300.")).toBe("other");
  });

  test("a REST error body's HTTP code does not hide Exchange's own message: access denied stays auth, a validation error invalid-parameter, and only a bare 500 is transient", () => {
    const body = (code: string, message: string) => JSON.stringify({ error: { code, message: "Error executing cmdlet", details: [{ code: "Context", message }] } });
    expect(kindOf(undefined, body("InternalServerError", "Ex2D4A1F|System.UnauthorizedAccessException|Access is denied."))).toBe("auth");
    expect(kindOf(undefined, body("InternalServerError", "ExC1B2A3|Microsoft.Exchange.Data.DataValidationException|Smart hosts must be specified if UseMXRecord is false."))).toBe("invalid-parameter");
    expect(kindOf(undefined, body("InternalServerError", "Ex1A2B3C|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'x' couldn't be found on 'y'."))).toBe("not-found");
    expect(kindOf(undefined, body("InternalServerError", "An internal server error occurred. The operation failed."))).toBe("transient");
    expect(kindOf("HttpRequestException", "Response status code does not indicate success: 503 (Service Unavailable).")).toBe("transient");
  });

  test("the group-manager check is auth: a permission the account lacks", () => {
    expect(kindOf("OperationRequiresGroupManagerException", "You don't have sufficient permissions. This operation can only be performed by a manager of the group.")).toBe("auth");
    // Even where Exchange names no type (the text alone, as through Remote PowerShell).
    expect(kindOf(undefined, "You don't have sufficient permissions. This operation can only be performed by a manager of the group.")).toBe("auth");
  });

  test("the word 'token' alone is not auth", () => {
    expect(kindOf("ParseException", "Unexpected token '}' in expression or statement.")).toBe("other");
    expect(kindOf("RecipientTaskException", "The value of the token property is not set.")).toBe("other");
    // A refused sign-in still is, by its own words.
    expect(kindOf("MsalUiRequiredException", "AADSTS50173: The provided grant has expired due to it being revoked.")).toBe("auth");
    expect(kindOf("HttpRequestException", "Response status code does not indicate success: 401 (Unauthorized).")).toBe("auth");
  });

  test("a bare number is no HTTP status: only next to HTTP, 'status code' or in parentheses", () => {
    expect(kindOf("RecipientTaskException", "The group can't have more than 429 owners.")).toBe("other");
    expect(kindOf("RecipientTaskException", "Mailbox 503 was moved.")).toBe("other");
    expect(kindOf("WebException", "HTTP 503")).toBe("transient");
  });

  // The Google .NET client that PSGSuite wraps (docs/design/sources-google-and-vendor.md §2, §3.3):
  // the RequestError form, one line per part, and GoogleApiException's message. runner.ps1 sends a
  // message on one line (its Errors block follows the code), so both shapes must read alike.
  const requestError = (message: string, code: number, reason: string, domain = "global") =>
    `Google.Apis.Requests.RequestError\r\n${message} [${code}]\r\nErrors [\r\n\tMessage[${message}] Location[ - ] Reason[${reason}] Domain[${domain}]\r\n]\r\n`;
  const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

  test.each([
    ["Invalid forwarding address", 400, "failedPrecondition", "invalid-parameter"],
    ["Bad Request", 400, "invalid", "invalid-parameter"],
    ["Not Found", 404, "notFound", "not-found"],
    ["Requested entity was not found.", 404, "notFound", "not-found"],
    ["Conflict", 409, "duplicate", "already-exists"],
    ["Too Many Requests", 429, "rateLimitExceeded", "throttled"],
    ["User Rate Limit Exceeded", 403, "userRateLimitExceeded", "throttled"],
    ["Rate Limit Exceeded", 403, "rateLimitExceeded", "throttled"],
    ["Backend Error", 500, "backendError", "transient"],
    ["Bad Gateway", 502, "badGateway", "transient"],
    ["Service unavailable", 503, "unknown", "transient"],
    ["Login Required", 401, "required", "auth"],
    ["Delegation denied for alice@contoso.com", 403, "forbidden", "auth"],
  ])("reads the Google client's RequestError '%s [%i]' (Reason[%s]) as %s, on several lines or on one", (message, code, reason, kind) => {
    const text = requestError(message, code, reason);
    expect(kindOf("GoogleApiException", text)).toBe(kind);
    expect(kindOf("GoogleApiException", oneLine(text))).toBe(kind);
  });

  // The bracket code alone decides, with a message the other rows do not know.
  test.each([
    [400, "invalid-parameter"],
    [401, "auth"],
    [403, "auth"],
    [404, "not-found"],
    [409, "already-exists"],
    [429, "throttled"],
    [500, "transient"],
    [502, "transient"],
    [503, "transient"],
  ])("a bracketed [%i] at the end of the message line is that HTTP status", (code, kind) => {
    const text = `Google.Apis.Requests.RequestError\r\nSomething odd [${code}]\r\nErrors [ Message[Something odd] Location[ - ] Reason[odd] Domain[global] ]`;
    expect(kindOf("GoogleApiException", text)).toBe(kind);
    expect(kindOf("GoogleApiException", oneLine(text))).toBe(kind);
    // At the very end of the text, and before the next exception's message (runner.ps1 joins the chain with "\n").
    expect(kindOf("GoogleApiException", `Something odd [${code}]`)).toBe(kind);
    expect(kindOf("GoogleApiException", `Something odd [${code}]\nException calling "Execute" with "0" argument(s)`)).toBe(kind);
  });

  // Google's token endpoint (developers.google.com/identity/protocols/oauth2/service-account, error
  // codes), as the .NET client's TokenResponseException words it: 'Error:"<error>",
  // Description:"<description>", Uri:"<uri>"' (TokenErrorResponse.ToString()).
  const tokenError = (error: string, description: string) => `Error:"${error}", Description:"${description}", Uri:""`;

  test.each([
    ["Invalid email or User ID"],
    ["Not a valid email."],
    ["The account has been deleted"],
  ])("a user the service account cannot impersonate (invalid_grant, '%s') is user-unavailable, not auth", (description) => {
    expect(kindOf("TokenResponseException", tokenError("invalid_grant", description))).toBe("user-unavailable");
    // As PowerShell wraps the .NET call, and as GAM prints it.
    expect(kindOf("MethodInvocationException", `Exception calling "Execute" with "0" argument(s): "${tokenError("invalid_grant", description)}"`)).toBe("user-unavailable");
    expect(kindOf(undefined, `User: gone@contoso.com, Show Failed: invalid_grant: ${description}`)).toBe("user-unavailable");
  });

  test.each([
    ["invalid_grant", "Invalid JWT Signature."],
    ["invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your 'iat' and 'exp' values and use a clock with skew to account for clock differences between systems."],
    ["invalid_client", "The OAuth client was not found."],
    ["disabled_client", "The OAuth client was disabled."],
  ])("a token request refused for the service account itself (%s, '%s') stays auth", (error, description) => {
    expect(kindOf("TokenResponseException", tokenError(error, description))).toBe("auth");
  });

  test("a bracketed number inside a message line is no HTTP status", () => {
    expect(kindOf("RecipientTaskException", "Value [404] is not a valid group size.")).toBe("other");
    expect(kindOf("RecipientTaskException", "The list [429] holds too many entries for this group.")).toBe("other");
    expect(kindOf("RecipientTaskException", "Slot [503] of 1000 was taken.")).toBe("other");
  });

  test.each([
    ["NotFound", "Requested entity was not found.", "not-found"],
    ["Conflict", "Entity already exists.", "already-exists"],
    ["BadRequest", "Invalid forwarding address", "invalid-parameter"],
    ["BadRequest", "Bad Request", "invalid-parameter"],
    ["TooManyRequests", "Quota exceeded.", "throttled"],
    ["Forbidden", "User Rate Limit Exceeded", "throttled"],
    ["Forbidden", "Request had insufficient authentication scopes.", "auth"],
    ["Unauthorized", "Login Required.", "auth"],
    ["InternalServerError", "Backend Error", "transient"],
    ["ServiceUnavailable", "The service is currently unavailable.", "transient"],
  ])("reads GoogleApiException 'HttpStatusCode is %s. %s' as %s", (status, message, kind) => {
    expect(kindOf("GoogleApiException", `The service gmail has thrown an exception. HttpStatusCode is ${status}. ${message}`)).toBe(kind);
  });

  test("scopes not delegated to the service account are auth (unauthorized_client)", () => {
    const text = `Error:"unauthorized_client", Description:"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.", Uri:""`;
    expect(kindOf("TokenResponseException", text)).toBe("auth");
    expect(connectKindOf("TokenResponseException", text)).toBe("auth");
  });

  test("Gmail's own 400 texts are invalid-parameter", () => {
    expect(kindOf(undefined, "ERROR: 400: Invalid forwarding address - failedPrecondition")).toBe("invalid-parameter");
    expect(kindOf("GoogleApiException", "The requested forwarding address is not allowed. [400]")).toBe("invalid-parameter");
  });

  test("a failed connect is auth unless Exchange said it is busy (runner.ps1's Invoke-Connect)", () => {
    expect(connectKindOf("CryptographicException", "The certificate could not be loaded: the specified network password is not correct.")).toBe("auth");
    expect(connectKindOf("PSRemotingTransportException", "Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency.")).toBe("throttled");
  });
});

describe("every error the simulator can raise, through the table", () => {
  const names = Object.keys(simulatorErrors) as SimulatorErrorName[];

  test.each(names)("%s gets the kind it means", (name) => {
    const e = simulatorErrors[name];
    const payload = (errorPayload as (n: string, ...a: unknown[]) => ReturnType<typeof errorPayload>)(name, ...e.example);
    expect(payload.message.length).toBeGreaterThan(0);
    expect({ name, message: payload.message, kind: payload.kind }).toEqual({ name, message: payload.message, kind: e.means });
  });

  test("the catalogue holds each of Exchange's texts once", () => {
    const texts = names.map((n) => (simulatorErrors[n].text as (...a: unknown[]) => string)(...simulatorErrors[n].example));
    expect(new Set(texts).size).toBe(texts.length);
  });

  // So no text can land without an intended kind: outside the catalogue, the simulator's code
  // never builds an error or names a kind.
  test("the simulator raises errors only through the catalogue", () => {
    const dir = path.join(__dirname, "..", "..", "src", "simulator");
    const offenders: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "errors.ts")) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      for (const [i, line] of text.split("\n").entries()) {
        if (/new ExchangeError\b|\bfail\(|kind: "(?:not-found|already-exists|throttled|transient|invalid-parameter|auth|other)"/.test(line)) offenders.push(`${file}:${i + 1} ${line.trim()}`);
      }
    }
    // errorOf's fallback for a bug in the simulator itself (not an Exchange text) is the one exception.
    expect(offenders.filter((o) => !o.includes(`return { kind: "other", message: singleLine(e instanceof Error`))).toEqual([]);
  });

  // The schema errors the simulator answers before any cmdlet runs (exchange/cmdlets) name their
  // kind directly; the table must agree, as it does for runner.ps1's own answers.
  test.each([
    ["an unknown parameter", { cmdlet: "Get-TransportRule", parameters: { Identity: "Coexistence", Colour: "red" } }],
    ["a missing mandatory parameter", { cmdlet: "Set-AcceptedDomain", parameters: { DomainType: "InternalRelay" } }],
    ["a value the schema refuses", { cmdlet: "Set-AcceptedDomain", parameters: { Identity: "contoso.com", DomainType: "Nope" } }],
    ["a cmdlet coexist never runs", { cmdlet: "Remove-Mailbox", parameters: { Identity: "admin" } }],
  ])("the table agrees with the schema's error for %s", (_what, command) => {
    let error: unknown;
    try {
      validateCommand(command as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExchangeError);
    const e = error as ExchangeError;
    expect(kindOf(e.reason, e.message)).toBe(e.kind);
  });
});
