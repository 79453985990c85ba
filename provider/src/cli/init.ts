import * as fs from "node:fs";
import * as path from "node:path";

/**
 * `coexist init [DIR] [--name NAME] [--force]`: writes the project template (templates/coexist:
 * Pulumi.yaml, package.json depending on @coexist/provider, index.ts, stacks/, batches/, a
 * .gitignore and a README for the customer's engineers) into
 * DIR, with `${PROJECT}` and `${DESCRIPTION}` replaced as `pulumi new` replaces them and the
 * template section of Pulumi.yaml dropped, as `pulumi new` drops it. Needs nothing but Node.
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

/** npm leaves every `.gitignore` out of a package, so the template holds it as `gitignore`. */
const outName = (f: string): string => (f === "gitignore" ? ".gitignore" : f);

function files(dir: string, rel = ""): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    return e.isDirectory() ? files(dir, p) : [p];
  });
}

export function init(dir: string, options: { name?: string; description?: string; force?: boolean } = {}): string {
  const target = path.resolve(dir);
  const name = options.name ?? projectName(target);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`--name ${name}: a project name may hold only letters, digits, '-', '_' and '.'`);
  const description = options.description ?? DEFAULT_DESCRIPTION;
  const from = templateDir();
  const written = files(from);
  const clash = written.map(outName).filter((f) => fs.existsSync(path.join(target, f)));
  if (clash.length > 0 && !options.force) throw new Error(`${target} already has ${clash.join(", ")}: choose an empty directory, or add --force to overwrite them`);
  for (const f of written) {
    let text = fs.readFileSync(path.join(from, f), "utf8").replaceAll("${PROJECT}", name).replaceAll("${DESCRIPTION}", description);
    if (f === "Pulumi.yaml") text = text.replace(/^template:\n(?:[ \t]+.*\n|\n)*/m, "");
    fs.mkdirSync(path.dirname(path.join(target, outName(f))), { recursive: true });
    fs.writeFileSync(path.join(target, outName(f)), text);
  }
  const rel = path.relative(process.cwd(), target) || ".";
  return [
    `coexist project ${name} written to ${rel}: ${written.map(outName).sort().join(", ")}`,
    "next:",
    ...(rel !== "." ? [`  cd ${rel}`] : []),
    "  npm install",
    "  pulumi stack init rehearsal        # the simulator stack in stacks/Pulumi.rehearsal.yaml",
    "  npx coexist rehearse init --stack rehearsal",
    "  pulumi preview --stack rehearsal",
  ].join("\n");
}
