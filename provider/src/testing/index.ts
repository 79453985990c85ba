// @coexist/provider/testing: what the repository's tests use beside the package's public API.
// Not part of the package a customer installs (provider/package.json "files").
export * from "./simulator";
export * from "./program";
export * from "./hostileInputs";
export * from "./safety";
export { Command } from "../exchange/command";
export { allowedCmdlets, cmdletSpecs, validateCommand } from "../exchange/cmdlets";
export { JournalEntry, readJournal } from "../journal/journal";
export { Rehearsal } from "../rehearsal/rehearsal";
export { outcomesOf, undelivered, userRows } from "../rehearsal/report";
export { blankRule, World } from "../simulator/model";
export { prng } from "../simulator/faults";
export { sha256, simGuid, sourceRelayOf } from "../simulator/scenario";
export { traceMail } from "../oracle";
