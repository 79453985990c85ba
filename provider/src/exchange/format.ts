import { Command } from "./command";

const SHOWN = 10;

/** A command as a reviewer reads it. Display only: commands run as data, never as text. */
export function formatCommand(c: Command): string {
  // PowerShell ends a single-quoted string at any of its five single quotes (typographic ones
  // too); each is doubled, so a name with quotes reads as the one string it is.
  const quote = (s: string) => `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, "$&$&")}'`;
  const value = (v: unknown): string => {
    if (v === null) return "$null";
    if (typeof v === "boolean") return v ? "$true" : "$false";
    if (typeof v === "number") return String(v);
    // A whole membership (Update-DistributionGroupMember -Members) runs to thousands: a reviewer
    // reads the first few and the count.
    if (Array.isArray(v) && v.length > SHOWN) return `@(${v.slice(0, SHOWN).map((x) => quote(String(x))).join(", ")}, … ${(v.length - SHOWN).toLocaleString("en-US")} more)`;
    if (Array.isArray(v)) return `@(${v.map((x) => quote(String(x))).join(", ")})`;
    if (typeof v === "object") return `@{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${value(x)}`).join("; ")}}`;
    return quote(String(v));
  };
  const params = Object.entries(c.parameters).map(([k, v]) => (typeof v === "boolean" ? `-${k}:${value(v)}` : `-${k} ${value(v)}`));
  return [c.cmdlet, ...params].join(" ");
}
