import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The directory holding Pulumi.yaml. Language hosts differ in where they start the program
 * (some in the directory of `main`) and not all report the root, so look for it.
 */
export function projectRoot(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}
