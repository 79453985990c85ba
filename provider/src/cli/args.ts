/**
 * The value after `name` on a command line (`--stack prod`), or undefined. No dependencies:
 * `coexist init` parses with it before npm install.
 */
export function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
