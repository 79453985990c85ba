// @coexist/provider: what the Pulumi program and the dynamic-provider host load by name.
export const packageName = "@coexist/provider";
