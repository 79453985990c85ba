import type { UserSettings } from "../userPlan";
import { exchangeSource } from "./exchange";
import { gmailSource } from "./gmail";
import type { SourceKind } from "./source";
import { vendorSource } from "./vendor";

export type { ApplyContext, Memory, SourceKind } from "./source";

/** The source kind a stack's users are at (coexist:source; absent: Exchange). */
export const sourceOf = (s: Pick<UserSettings, "source">): SourceKind => (s.source === "google-workspace" ? gmailSource : s.source === "vendor" ? vendorSource : exchangeSource);
