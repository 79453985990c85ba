import * as fs from "node:fs";

/**
 * Processes found by a mark in their environment (Linux /proc). A mark survives what a process
 * tree does not: a process re-parented to init, whose project folder is deleted, still carries
 * the environment it was started with, and so does everything it started. A mark names one run
 * or one project, never another checkout's or another engineer's run on the same machine.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  command: string;
  cwd: string;
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** Live processes (not zombies, not this one) whose environment holds `entry` (`KEY=value`). */
export function processesWithEnv(entry: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const environ = read(`/proc/${name}/environ`);
    if (!environ?.split("\0").includes(entry)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z" || state === "X") continue;
    let cwd = "?";
    try {
      cwd = fs.readlinkSync(`/proc/${name}/cwd`);
    } catch {
      // unreadable
    }
    const command = (read(`/proc/${name}/cmdline`) ?? "").split("\0").filter((a) => a !== "").join(" ");
    found.push({ pid: Number(name), ppid: Number(ppid), command, cwd });
  }
  return found;
}

/** What a process is, from its command line. */
export function kindOf(command: string): string {
  if (/\/cmd\/dynamic-provider\/index\.js\b/.test(command)) return "coexist provider host";
  if (/\bpulumi-resource-pulumi-nodejs\b/.test(command)) return "coexist provider host's launcher script";
  if (/\/provider\/dist\/simulator\/runner\.js\b/.test(command)) return "coexist runner (simulated tenant)";
  if (/\brunner\.ps1\b/.test(command)) return "coexist runner (pwsh)";
  if (/\bpulumi-language-nodejs\b/.test(command)) return "Pulumi's language host";
  if (/\/cmd\/run\/index\.js\b/.test(command)) return "Pulumi program";
  if (/(^|\/)pulumi( |$)/.test(command)) return "Pulumi CLI";
  return "process";
}

/** coexist's own: the provider host (and the script that launched it) and the runners. */
export const isCoexistProcess = (p: ProcessInfo): boolean => kindOf(p.command).startsWith("coexist ");

export const describeProcess = (p: ProcessInfo): string => `pid ${p.pid} (parent ${p.ppid}), ${kindOf(p.command)}: ${p.command} [in ${p.cwd}]`;
