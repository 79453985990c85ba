import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as c from "@coexist/provider/dist/exchange/cmdlets";
import { defaultPoolOptions, SessionPool } from "@coexist/provider/dist/pool/sessionPool";
import { launchFor } from "@coexist/provider/dist/runner/launch";
import { freshWorld, simTarget } from "@coexist/provider/testing";
import { Journal } from "@coexist/provider/dist/journal/journal";

/**
 * What the cmdlet journal costs: `node dist/test/bench/journal.js [writes]`. A line through
 * Journal.record, a bare O_APPEND write, the same with an fsync (what the journal does not do),
 * then a wave's forwards through a 3-session pool against the simulator, without and with it.
 */
async function main(writes: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-journal-bench-"));
  try {
    const perLine = (n: number, f: (i: number) => void): number => {
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) f(i);
      return Number(process.hrtime.bigint() - t) / 1e3 / n;
    };
    const journal = new Journal(path.join(dir, "record.jsonl"), "bench");
    const target = simTarget(path.join(dir, "world.json"), { password: "s3cret" });
    const redact = (s: string) => s.split("s3cret").join("***");
    const record = perLine(20_000, (i) =>
      journal.record({
        role: "source",
        target,
        command: c.SetMailbox({ Identity: `user${i}@contoso.com`, ForwardingSmtpAddress: `user${i}@contoso.onmicrosoft.com`, DeliverToMailboxAndForward: false }),
        started: Date.now(),
        trace: { attempts: 1, retries: [] },
        redact,
      }),
    );
    const bytes = fs.statSync(journal.file).size / 20_000;
    journal.close();
    const line = Buffer.from("x".repeat(Math.round(bytes) - 1) + "\n");
    const fd = fs.openSync(path.join(dir, "raw.jsonl"), "a");
    const write = perLine(20_000, () => fs.writeSync(fd, line));
    const fsync = perLine(300, () => {
      fs.writeSync(fd, line);
      fs.fsyncSync(fd);
    });
    fs.closeSync(fd);
    console.log(`Journal.record: ${record.toFixed(1)} µs per line (${bytes.toFixed(0)} bytes); write alone ${write.toFixed(1)} µs; write + fsync ${fsync.toFixed(0)} µs`);
    console.log(`${writes} writes: ${((record * writes) / 1000).toFixed(0)} ms of journal; with an fsync per line ${((fsync * writes) / 1e6).toFixed(1)} s`);

    const users = Array.from({ length: Math.min(writes, 600) }, (_, i) => `user${i}`);
    for (const round of [1, 2]) {
      for (const withJournal of [false, true]) {
        const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users }, fs.mkdtempSync(path.join(dir, "w-")));
        const t = simTarget(stateFile);
        const pool = new SessionPool({ ...defaultPoolOptions, role: "source", target: t, launch: launchFor(t), ...(withJournal ? { journal: new Journal(path.join(dir, `pool-${round}.jsonl`)) } : {}) });
        try {
          await pool.run(c.GetMailbox({ Identity: "user0@contoso.com" })); // sessions warm
          const t0 = Date.now();
          await Promise.all(users.map((u) => pool.run(c.SetMailbox({ Identity: `${u}@contoso.com`, ForwardingSmtpAddress: `${u}@contoso.onmicrosoft.com` }))));
          const ms = Date.now() - t0;
          console.log(`pool round ${round}, ${withJournal ? "with" : "without"} the journal: ${users.length} writes in ${ms} ms`);
        } finally {
          await pool.close();
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main(Number(process.argv[2] ?? 4000));
