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
    for (const p of ["(?:HTTP|status code|\\()\\D{0,20}429\\b", "ParameterBinding\\w*Exception", "Too ?Many ?Requests", "AADSTS\\d+"]) {
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
    expect(offenders.filter((o) => !o.includes(`return { kind: "other", message: e instanceof Error`))).toEqual([]);
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
