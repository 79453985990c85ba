import * as fs from "node:fs";
import * as path from "node:path";
import { CleanupRefused, mxRefusal, REFUSAL_POINTER, refusalFor, strandedRefusal } from "./cleanupGuard";

// The docs quote the cleanup refusals word for word: this keeps them equal to the code.
const docs = path.resolve(__dirname, "..", "..", "..", "docs");
/** A doc's text with its line wrapping undone, as a reader sees a quoted message. */
const read = (file: string) => fs.readFileSync(path.join(docs, file), "utf8").replace(/\s*\n\s*/g, " ");

describe("the cleanup refusal", () => {
  it.each(["runbook/05-cleanup.md", "troubleshooting.md"])("is quoted in %s exactly as the guard words it", (file) => {
    const text = read(file);
    expect(text).toContain(mxRefusal("contoso.com", "source"));
    expect(text).toContain(strandedRefusal("contoso.com", ["bob@contoso.com", "frank@contoso.com"]));
    expect(text).toContain(REFUSAL_POINTER);
  });

  it("gives its reason once: the deletes after the first point at it", () => {
    const first = new CleanupRefused("the reason");
    const errors = [first, new CleanupRefused("the reason"), new CleanupRefused("the reason")].map((e) => refusalFor(e) as Error);
    expect(errors.map((e) => e.message)).toEqual(["the reason", REFUSAL_POINTER, REFUSAL_POINTER]);
    expect(errors[0]).toBe(first);
    // Anything else passes through untouched.
    const other = new Error("Exchange said no");
    expect(refusalFor(other)).toBe(other);
  });
});
