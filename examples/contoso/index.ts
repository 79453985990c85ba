// The coexist Pulumi program: stack config in stacks/, waves (CSV files) in batches/.
import { coexistence } from "@coexist/provider";

export = coexistence();
