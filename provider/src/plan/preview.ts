import { spawn } from "node:child_process";
import { PreviewStep } from "./plan";

/** `pulumi preview --json` with these arguments: its steps, or an error with the preview's own error diagnostics. */
export async function previewJson(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<{ steps?: PreviewStep[]; diagnostics?: { message: string; severity: string }[] }> {
  const child = spawn("pulumi", ["preview", "--json", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code: number = await new Promise((r) => child.on("close", r));
  let parsed: { steps?: PreviewStep[]; diagnostics?: { message: string; severity: string }[] };
  try {
    parsed = JSON.parse(out);
  } catch {
    throw new Error(`pulumi preview failed (exit ${code}): ${(out + err).slice(0, 4000)}`);
  }
  if (code !== 0) {
    const errors = (parsed.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message.trim());
    throw new Error(errors.join("\n") || `pulumi preview failed (exit ${code}): ${err.slice(0, 4000)}`);
  }
  return parsed;
}

