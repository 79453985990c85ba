// @coexist/provider: what the Pulumi program and the dynamic-provider host load by name.
export * as cmdlets from "./exchange/cmdlets";
export * from "./exchange/command";
export * from "./exchange/errors";
export * from "./exchange/targets";
export * from "./oracle";
export { poolFor, closeAllPools } from "./pool/registry";
export { SessionPool } from "./pool/sessionPool";
export { initialWorld, Scenario } from "./simulator/scenario";
export { WorldStore } from "./simulator/store";
export { resourceHandlers, definitions } from "./resources/handlers";
export * from "./resources/classes";
export { coexistence, loadInputs } from "./program/program";
export { StackConfig } from "./config/stack";
export { InputError, formatProblem } from "./waves/problems";
