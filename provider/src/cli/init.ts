import * as fs from "node:fs";
import * as path from "node:path";
import { PULUMI_CLI_FLOOR } from "../preflight/floors";

/**
 * `coexist init [DIR] [--name NAME] [--packages DIR] [--force]`: writes the project template
 * (templates/coexist: Pulumi.yaml, package.json, index.ts, stacks/, batches/, a .gitignore, an
 * .npmrc and a README for the customer's engineers) into DIR, with `${PROJECT}` and
 * `${DESCRIPTION}` replaced as `pulumi new` replaces them and the template section of Pulumi.yaml
 * dropped, as `pulumi new` drops it; and copies the packed @coexist packages into DIR/packages.
 * Needs nothing but Node.
 *
 * Why the tarballs travel with the project (issue 27): coexist is not published, and nobody on
 * the team owns the `@coexist` scope on the public registry. A package.json naming
 * `"@coexist/provider": "0.1.0"` would make `npm install` ask that registry, and install whatever
 * someone else publishes there. So package.json names `file:packages/<tarball>` (npm reads a file
 * spec from disk, never from a registry), and the .npmrc points the scope at a host that cannot
 * exist (`.invalid`, RFC 2606), so even a hand-typed `npm install @coexist/provider` fails.
 */
export const DEFAULT_DESCRIPTION = "Exchange Online mail-flow coexistence as code";

/** The template: inside the installed package (packed there by prepack), else the repository's. */
export function templateDir(): string {
  const candidates = [path.join(__dirname, "..", "..", "templates", "coexist"), path.join(__dirname, "..", "..", "..", "templates", "coexist")];
  const found = candidates.find((d) => fs.existsSync(path.join(d, "Pulumi.yaml")));
  if (!found) throw new Error(`the coexist project template is missing (looked in ${candidates.join(", ")})`);
  return found;
}

/** A Pulumi project name from a directory name: letters, digits, '-', '_' and '.'. */
export function projectName(dir: string): string {
  const name = path.basename(path.resolve(dir)).replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "");
  return name || "coexist-project";
}

/** npm leaves every `.gitignore` and `.npmrc` out of a package, so the template holds them without the dot. */
const outName = (f: string): string => (f === "gitignore" || f === "npmrc" ? `.${f}` : f);

/** The version of this @coexist/provider, which names the tarballs the template installs. */
export function coexistVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

/** The two tarballs a project installs, as `npm pack` names them. */
export const tarballs = (version = coexistVersion()): string[] => [`coexist-provider-${version}.tgz`, `coexist-entry-${version}.tgz`];

/** Where the packed packages are: --packages, else a checkout's dist/packages (`npm run package`). */
export function packagesDir(given?: string): string {
  const candidates = given ? [path.resolve(given)] : [path.join(__dirname, "..", "..", "..", "dist", "packages")];
  const found = candidates.find((d) => tarballs().every((t) => fs.existsSync(path.join(d, t))));
  if (found) return found;
  throw new Error(
    `coexist init needs the packed packages ${tarballs().join(" and ")}: ` +
      (given ? `${path.resolve(given)} does not hold both. ` : "") +
      "run `npm run package` in the coexist checkout (it writes them to dist/packages) and pass --packages <that folder>. " +
      "The project installs them from its own packages/ folder: coexist is not on a registry, and none may be asked for @coexist packages.",
  );
}

function files(dir: string, rel = ""): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    return e.isDirectory() ? files(dir, p) : [p];
  });
}

export function init(dir: string, options: { name?: string; description?: string; packages?: string; force?: boolean } = {}): string {
  const target = path.resolve(dir);
  const name = options.name ?? projectName(target);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`--name ${name}: a project name may hold only letters, digits, '-', '_' and '.'`);
  const description = options.description ?? DEFAULT_DESCRIPTION;
  const from = templateDir();
  const packs = packagesDir(options.packages);
  const written = files(from);
  const copied = tarballs().map((t) => path.join("packages", t));
  const clash = [...written.map(outName), ...copied].filter((f) => fs.existsSync(path.join(target, f)));
  if (clash.length > 0 && !options.force) throw new Error(`${target} already has ${clash.join(", ")}: choose an empty directory, or add --force to overwrite them`);
  for (const f of written) {
    let text = fs.readFileSync(path.join(from, f), "utf8").replaceAll("${PROJECT}", name).replaceAll("${DESCRIPTION}", description);
    if (f === "Pulumi.yaml") text = text.replace(/^template:\n(?:[ \t]+.*\n|\n)*/m, "");
    fs.mkdirSync(path.dirname(path.join(target, outName(f))), { recursive: true });
    fs.writeFileSync(path.join(target, outName(f)), text);
  }
  fs.mkdirSync(path.join(target, "packages"), { recursive: true });
  for (const t of tarballs()) fs.copyFileSync(path.join(packs, t), path.join(target, "packages", t));
  const rel = path.relative(process.cwd(), target) || ".";
  return [
    `coexist project ${name} written to ${rel}: ${[...written.map(outName), ...copied].sort().join(", ")}`,
    "next (needs the Pulumi CLI on PATH, v" + PULUMI_CLI_FLOOR + " or later: https://www.pulumi.com/docs/iac/download-install/):",
    ...(rel !== "." ? [`  cd ${rel}`] : []),
    "  npm install                        # from packages/: never a registry for @coexist",
    '  export PULUMI_BACKEND_URL="file://$HOME/.pulumi"   # or pulumi login <your team\'s backend>',
    "  export PULUMI_CONFIG_PASSPHRASE=coexist-rehearsal  # the published passphrase: simulator stacks only",
    "  pulumi stack init rehearsal        # the simulator stack in stacks/Pulumi.rehearsal.yaml",
    "  npx coexist rehearse init --stack rehearsal",
    "  pulumi preview --stack rehearsal",
    "  npx coexist stack init production --from rehearsal   # a real stack: your own passphrase first (see README.md)",
  ].join("\n");
}
