/**
 * The hostile-input corpus (issue 7): values a CSV cell or a config string might carry by
 * accident or malice. The injection tests put each one in every CSV column and every config
 * string and prove it either reaches a cmdlet as exactly that value or is refused, with a clear
 * message, before anything runs.
 *
 * `name` says what the input check must do with the value as a name or identity (a group,
 * connector or rule name, a group owner, a SourceIdentity): "accepted" values are plain text to
 * Exchange however they look to a shell; "rejected" ones carry characters no Exchange name needs.
 */
export interface HostileValue {
  label: string;
  value: string;
  name: "accepted" | "rejected";
}

export const hostileValues: HostileValue[] = [
  { label: "single quotes closing a string", value: "O'Brien'; Remove-Mailbox -Identity admin -Confirm:$false; '", name: "accepted" },
  { label: "double quotes", value: 'say "hi" "" then "', name: "accepted" },
  // PowerShell treats the typographic quotes as quotes too.
  { label: "typographic quotes", value: "‘smart’ “double” „low“ ‹angle› «guillemets»", name: "accepted" },
  { label: "subexpression", value: "$(Remove-Mailbox -Identity admin -Confirm:$false)", name: "accepted" },
  { label: "variables", value: "$env:PATH ${function:Remove-Item} $null $true", name: "accepted" },
  { label: "statement separator", value: "x; Stop-Computer -Force", name: "accepted" },
  { label: "pipeline", value: "x | Remove-Mailbox -Confirm:$false", name: "accepted" },
  { label: "ampersands", value: "& calc.exe && Remove-Item / -Recurse", name: "accepted" },
  { label: "backticks", value: "x`nRemove-Mailbox `$x `0 `", name: "accepted" },
  { label: "hashtable and splat", value: "@{Identity='admin'} @args", name: "accepted" },
  { label: "JSON protocol breaker", value: '"}, "cmdlet": "Remove-Mailbox", "parameters": {"Identity": "admin', name: "accepted" },
  { label: "leading =", value: "=cmd|' /C calc'!A0", name: "accepted" },
  { label: "leading +", value: "+Set-Mailbox -Identity admin", name: "accepted" },
  { label: "leading -", value: "-Confirm:$false", name: "accepted" },
  { label: "leading @", value: "@SUM(1+1)", name: "accepted" },
  { label: "newline", value: "line one\nRemove-Mailbox -Identity admin", name: "rejected" },
  { label: "carriage return", value: "line one\r\nline two", name: "rejected" },
  { label: "NUL", value: "before\u0000after", name: "rejected" },
  { label: "tab", value: "a\tb", name: "rejected" },
  { label: "escape sequence", value: "\u001b[2J\u001b[31mred", name: "rejected" },
  { label: "right-to-left override", value: "admin\u202Egpj.exe", name: "rejected" },
  { label: "right-to-left isolate", value: "\u2067admin\u2069", name: "rejected" },
  { label: "zero-width space", value: "ad\u200Bmin", name: "rejected" },
  { label: "zero-width joiner", value: "ad\u200Dmin", name: "rejected" },
  { label: "byte order mark", value: "\uFEFFadmin", name: "rejected" },
  { label: "wildcard", value: "*", name: "rejected" },
  { label: "10,000 characters", value: "A".repeat(10_000), name: "rejected" },
];

/**
 * Email addresses whose local part carries shell-significant characters. RFC 5322 allows
 * `' $ | & ` { } = + - # % ^ ? /` in a dot-atom, so those are real addresses that must reach
 * Exchange unchanged; the rest are not addresses and must be refused.
 */
export const hostileAddresses: { label: string; local: string; accepted: boolean }[] = [
  { label: "apostrophe", local: "o'brien", accepted: true },
  { label: "dollar", local: "pay$roll", accepted: true },
  { label: "pipe", local: "a|b", accepted: true },
  { label: "ampersand", local: "r&d", accepted: true },
  { label: "backtick", local: "tick`n", accepted: true },
  { label: "braces", local: "{alias}", accepted: true },
  { label: "leading =", local: "=cmd", accepted: true },
  { label: "leading +", local: "+plus", accepted: true },
  { label: "leading -", local: "-confirm", accepted: true },
  { label: "hash, percent, caret, question mark, slash", local: "a#b%c^d?e/f", accepted: true },
  { label: "double quote", local: 'a"b', accepted: false },
  { label: "subexpression", local: "$(x)", accepted: false },
  { label: "semicolon", local: "a;b", accepted: false },
  { label: "hashtable", local: "@{x}", accepted: false },
  { label: "space", local: "a b", accepted: false },
  { label: "newline", local: "a\nb", accepted: false },
  { label: "NUL", local: "a\u0000b", accepted: false },
  { label: "right-to-left override", local: "a\u202Eb", accepted: false },
  { label: "zero-width space", local: "a\u200Bb", accepted: false },
  { label: "non-ASCII", local: "jürgen", accepted: false },
  { label: "wildcard", local: "*", accepted: false },
  { label: "10,000 characters", local: "a".repeat(10_000), accepted: false },
];

/** A CSV field holding `value` exactly: always quoted, quotes doubled. */
export const csvField = (value: string): string => `"${value.replaceAll('"', '""')}"`;
