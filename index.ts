// The coexist Pulumi program (stack config in stacks/, waves in batches/).
export {};
