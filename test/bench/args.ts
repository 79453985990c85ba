/** A benchmark's command line: `--name N` flags with defaults, the rest as given. */
export const args = process.argv.slice(2);

/** `--name N` as a number, or `dflt` when the flag is absent. */
export const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
