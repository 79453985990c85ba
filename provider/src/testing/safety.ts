import { gateInput, Inputs } from "../program/program";
import { baseConfig } from "./program";
import { StackConfig } from "../config/stack";
import type { World } from "../simulator/model";
import { evaluate } from "../safety/gate";
import { initialWorld } from "../simulator/scenario";

/** For the gate's and status's tests: contoso.com on worlds built in memory. */
export const ORG = "contoso.onmicrosoft.com";
/** The input check's base config, parsed, with `extra` keys on top. */
export const contosoConfig = (extra: Record<string, unknown> = {}): StackConfig => StackConfig.parse({ ...baseConfig, ...extra });
/** A wave user forwarding to their tenant address (or `forwardTo`). */
export const waveUser = (alias: string, forwardTo = `${alias}@${ORG}`) => ({ emailAddress: `${alias}@contoso.com`, forwardTo, wave: "w1" });
export const contosoWorld = (aliases: string[]): World => initialWorld({ domain: "contoso.com", organization: ORG, users: aliases });

/** The world after an up that applied `inputs`: the gate's own end state, as a World. */
export const applied = (w: World, i: Inputs): World => ({ ...w, ...(evaluate(w, gateInput(i)).end as World) });
