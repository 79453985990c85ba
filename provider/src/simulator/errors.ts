import { ErrorKind, ExchangeError } from "../exchange/errors";

// Exchange's own error texts (see shared/reference/exchange-cmdlets.md), by exception type.
const SERVER = "AM0PR06A001DC01.EURPR06A001.prod.outlook.com";

export function fail(kind: ErrorKind, reason: string, message: string): never {
  throw new ExchangeError({ kind, reason, message });
}

export function notFound(identity: string): never {
  return fail(
    "not-found",
    "ManagementObjectNotFoundException",
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${SERVER}'.`,
  );
}

export function ambiguous(identity: string): never {
  return fail(
    "other",
    "ManagementObjectAmbiguousException",
    `The operation couldn't be performed because '${identity}' matches multiple entries.`,
  );
}

export function unresolvedRecipient(identity: string): never {
  return fail(
    "not-found",
    "ManagementObjectNotFoundException",
    `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`,
  );
}

export function proxyInUse(address: string, owner: string): never {
  return fail(
    "already-exists",
    "ProxyAddressExistsException",
    `The proxy address "${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner}". Please choose another proxy address.`,
  );
}

export function objectExists(dn: string): never {
  return fail("already-exists", "ADObjectAlreadyExistsException", `Active Directory operation failed on ${SERVER}. The object '${dn}' already exists.`);
}

export function invalid(reason: string, message: string): never {
  return fail("invalid-parameter", reason, message);
}
