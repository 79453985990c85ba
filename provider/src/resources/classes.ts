import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AcceptedDomainRelayInputs } from "./acceptedDomainRelay/acceptedDomainRelay";
import { CloudOnlyRecipientInputs } from "./cloudOnlyRecipient/cloudOnlyRecipient";
import { Args, providerFor } from "./dynamicResource";
import { definitions } from "./handlers";
import { MigratedMailboxInputs } from "./migratedMailbox/migratedMailbox";
import { MigratedMailboxesInputs, MigratedMailboxesOutputs } from "./migratedMailboxes/migratedMailboxes";
import { MigratedUsersGroupInputs } from "./migratedUsersGroup/migratedUsersGroup";
import { PartnerConnectorInputs } from "./partnerConnector/partnerConnector";
import { CoexistenceRuleInputs } from "./transportRule/coexistenceRule";
import { SourceBypassRuleInputs } from "./transportRule/sourceBypassRule";

// The program-facing resources. Types read as pulumi-nodejs:dynamic:<Name> in previews (no
// module segment: every URN, dependency and parent reference in state repeats the type).
const MODULE = undefined;

export class AcceptedDomainRelay extends pulumi.dynamic.Resource {
  declare readonly domain: pulumi.Output<string>;
  declare readonly domainType: pulumi.Output<string>;
  declare readonly originalDomainType: pulumi.Output<string>;
  constructor(name: string, args: Args<z.input<typeof AcceptedDomainRelayInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("acceptedDomainRelay"), name, { ...args, domainType: undefined, originalDomainType: undefined }, opts, MODULE, definitions.acceptedDomainRelay.name);
  }
}

export class MigratedUsersGroup extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly primarySmtpAddress: pulumi.Output<string>;
  constructor(name: string, args: Args<z.input<typeof MigratedUsersGroupInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("migratedUsersGroup"), name, args, opts, MODULE, definitions.migratedUsersGroup.name);
  }
}

export class PartnerConnector extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly smartHosts: pulumi.Output<string[]>;
  constructor(name: string, args: Args<z.input<typeof PartnerConnectorInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("partnerConnector"), name, args, opts, MODULE, definitions.partnerConnector.name);
  }
}

export class CoexistenceRule extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  constructor(name: string, args: Args<z.input<typeof CoexistenceRuleInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("coexistenceRule"), name, args, opts, MODULE, definitions.coexistenceRule.name);
  }
}

export class SourceBypassRule extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  constructor(name: string, args: Args<z.input<typeof SourceBypassRuleInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("sourceBypassRule"), name, args, opts, MODULE, definitions.sourceBypassRule.name);
  }
}

export class MigratedMailbox extends pulumi.dynamic.Resource {
  declare readonly emailAddress: pulumi.Output<string>;
  declare readonly forwardTo: pulumi.Output<string>;
  constructor(name: string, args: Args<z.input<typeof MigratedMailboxInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("migratedMailbox"), name, args, opts, MODULE, definitions.migratedMailbox.name);
  }
}

/** Every user of the stack, one resource whatever their number (migratedMailboxes.ts). */
export class MigratedMailboxes extends pulumi.dynamic.Resource {
  declare readonly users: pulumi.Output<MigratedMailboxesOutputs["users"]>;
  declare readonly notRestored: pulumi.Output<Record<string, string> | undefined>;
  constructor(name: string, args: Args<z.input<typeof MigratedMailboxesInputs>>, opts?: pulumi.CustomResourceOptions) {
    // `pulumi preview --diff` would print every user's packed entry (5,000 lines for 500 users);
    // the resource's diagnostic says what changes, totals first, and `coexist plan` every cmdlet.
    // hideDiffs only changes display; an engine that predates it ignores it (issue 27).
    const hidden = { ...opts, hideDiffs: [...(opts?.hideDiffs ?? []), "users", "steps", "saved", "notRestored"] };
    super(providerFor("migratedMailboxes"), name, { ...args, saved: undefined, notRestored: undefined }, hidden, MODULE, definitions.migratedMailboxes.name);
  }
}

export class CloudOnlyRecipient extends pulumi.dynamic.Resource {
  declare readonly emailAddress: pulumi.Output<string>;
  constructor(name: string, args: Args<z.input<typeof CloudOnlyRecipientInputs>>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("cloudOnlyRecipient"), name, args, opts, MODULE, definitions.cloudOnlyRecipient.name);
  }
}
