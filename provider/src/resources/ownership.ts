import { z } from "zod";
import { UserError } from "../host/quietErrors";

/**
 * Which stack owns a shared object (issue 24, "Ownership"). Every object coexist creates carries
 * `[coexist:<project>/<stack>]` at the end of its free text: the connector's Comment, a rule's
 * Comments, the group's Notes. The accepted domain has no such field and is shared by nature.
 * Pulumi project and stack names are letters, digits, `-`, `_` and `.`, so the marker parses
 * back unambiguously; the program hands the provider its owner as an input (the provider host
 * is not told the stack), so the create command and the delete check are plain data.
 */
const Part = /[A-Za-z0-9_.-]{1,100}/.source;
export const Owner = z.string().regex(new RegExp(`^${Part}/${Part}$`), "must be <project>/<stack>");
export type Owner = z.infer<typeof Owner>;

const MARKERS = new RegExp(`\\s*\\[coexist:(${Part}/${Part})\\]`, "g");

/** The text with this owner's marker appended (any marker already there replaced); null stays empty. */
export function marked(text: string | null | undefined, owner: string | undefined): string | null {
  const rest = unmarked(text);
  if (owner === undefined) return rest || null;
  return rest ? `${rest} [coexist:${owner}]` : `[coexist:${owner}]`;
}

/** The owner a free-text field names (its last marker), or undefined when unmarked. */
export function ownerOf(text: string | null | undefined): string | undefined {
  return [...(text ?? "").matchAll(MARKERS)].at(-1)?.[1];
}

/** The text without any marker: what the consultant's own comment reads. */
export const unmarked = (text: string | null | undefined): string => (text ?? "").replace(MARKERS, "").trim();

/** An object of one kind, as an ownership message names it. */
export interface Claimed {
  /** "Outbound connector", "Transport rule", "Group". */
  kind: string;
  /** The name the stack declares (the one coexist:adopt lists). */
  name: string;
  /** The free-text field the marker is in: "Comment", "Comments", "Notes". */
  field: string;
  /** The stack config key that renames it. */
  rename: string;
}

/** Whether coexist:adopt lists an object (by name, letter case ignored; a group also by address). */
export const listed = (adopt: readonly string[], ...names: string[]): boolean =>
  adopt.some((a) => names.some((n) => a.trim().toLowerCase() === n.toLowerCase()));

/**
 * What create does with a same-named object that exists: "own" when it carries this stack's marker
 * (a re-run after a killed create: adopted silently), "adopt" when it is unmarked and coexist:adopt
 * lists it (coexist then writes its marker). Refuses another stack's object, and an unmarked one
 * coexist:adopt does not list. `owner` undefined (inputs built outside a stack) claims nothing.
 */
export function mayAdopt(o: Claimed, text: string | null | undefined, owner: string | undefined, adopt: readonly string[], ...aliases: string[]): "own" | "adopt" {
  const found = ownerOf(text);
  if (owner === undefined || found === owner) return "own";
  if (found !== undefined) throw foreign(o, found, owner);
  if (listed(adopt, o.name, ...aliases)) return "adopt";
  throw new UserError(
    `${o.kind} '${o.name}' already exists in Exchange and no stack's marker is in its ${o.field}: coexist did not create it. ` +
      `To take it over (stack ${owner} then manages and, on destroy, deletes it), list '${o.name}' in coexist:adopt; ` +
      `to leave it alone, give this stack its own name (${o.rename}).`,
  );
}

/** Another stack's object: never adopted, never deleted. */
export function foreign(o: Claimed, found: string, owner: string | undefined): UserError {
  return new UserError(
    `${o.kind} '${o.name}' belongs to stack ${found} (its ${o.field} carries [coexist:${found}]), not to ${owner ?? "this stack"}: ` +
      `coexist neither adopts nor deletes another stack's object. Give this stack its own name (${o.rename}), or destroy it from stack ${found}.`,
  );
}

/**
 * Before a delete: refuses when the live object names another stack than the one that declared
 * it. An unmarked object (state from before markers) is deleted as before.
 */
export function mayDelete(o: Claimed, text: string | null | undefined, owner: string | undefined): void {
  const found = ownerOf(text);
  if (found !== undefined && found !== owner)
    throw new UserError(
      `${o.kind} '${o.name}' belongs to stack ${found} (its ${o.field} carries [coexist:${found}]), not to ${owner ?? "this stack"}: not deleted. ` +
        `Destroy it from stack ${found}; to drop it from this stack's state without deleting it: pulumi state delete <its URN> (pulumi stack --show-urns lists them).`,
    );
}
