import { hostileValues } from "../program/hostileInputs";
import { formatCommand } from "./plan";

describe("the change review's command text", () => {
  it("doubles every PowerShell single quote, typographic ones included, so a hostile name reads as one string", () => {
    expect(formatCommand({ cmdlet: "New-TransportRule", parameters: { Name: "O'Brien ‘a’ ‚b‛" } })).toBe("New-TransportRule -Name 'O''Brien ‘‘a’’ ‚‚b‛‛'");
  });

  it.each(hostileValues.filter((h) => h.name === "accepted").map((h) => [h.label, h.value]))("shows %s as a single quoted string", (_, value) => {
    const text = formatCommand({ cmdlet: "Set-Mailbox", parameters: { Identity: value } });
    const quoted = text.slice("Set-Mailbox -Identity ".length);
    // Undoubling the quotes inside gives back exactly the value: no quote ends the string early.
    expect(quoted.startsWith("'") && quoted.endsWith("'")).toBe(true);
    const inner = quoted.slice(1, -1);
    expect(inner.replace(/(['\u2018\u2019\u201A\u201B])\1/g, "")).not.toMatch(/['\u2018\u2019\u201A\u201B]/);
    expect(inner.replace(/(['\u2018\u2019\u201A\u201B])\1/g, "$1")).toBe(value);
  });
});
