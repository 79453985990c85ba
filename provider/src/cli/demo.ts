import * as fs from "node:fs";
import * as path from "node:path";
import { Rehearsal, summaryOf } from "../rehearsal/rehearsal";
import { renderSetup, undelivered } from "../rehearsal/report";
import { statusReport } from "./status";
import { sourceUsersCsv } from "./sourceUsers";
import { traceMail } from "../oracle";
import { vendorFiles } from "../resources/vendorLedger";
import { vendorApply } from "./rehearse";

/**
 * `npm run demo`: a whole migration rehearsed on the simulated tenant with the real Pulumi CLI:
 * review, wave 1, wave 2, a rollback, a refused early cleanup, MX cutover, a cleanup refused while
 * users still live on the source, a last wave that migrates them, and the cleanup. After every
 * step it prints the shared objects and `npm run status` for the stack (where each user's mail
 * ends, the anomalies, the totals); it fails if any mail would loop or bounce.
 */
const DOMAIN = "contoso.com";
const root = process.cwd();
const rehearsal = new Rehearsal(root, "demo", path.join(root, ".sim", "demo", "world.json"));

function step(title: string): void {
  console.log(`\n=== ${title} ${"=".repeat(Math.max(0, 86 - title.length))}`);
}

/**
 * The shared objects, then `npm run status` for the stack (a live, read-only snapshot), then where
 * mail for each of `cloudOnly` ends; stops on any loop or bounce, or a cloud-only recipient's mail
 * outside Exchange Online.
 */
async function show(r = rehearsal, cloudOnly: string[] = []): Promise<void> {
  console.log(renderSetup(r.world(), DOMAIN) + "\n");
  console.log(await statusReport(r.stack, "text", root));
  const broken = undelivered(r.world()).map((x) => x.user);
  for (const to of cloudOnly) {
    const traces = (["internet", "exchange", "source"] as const).map((entry) => traceMail(r.world(), { to, entry }));
    console.log(`\n  ${to} (cloud-only, no source mailbox): ${traces.map((t, i) => `${["from internet", "from EXO user", "from source user"][i]} → ${t.outcome}`).join(", ")}`);
    if (traces.some((t) => t.outcome !== "delivered-exchange")) broken.push(to);
  }
  if (broken.length > 0) throw new Error(`mail would loop, bounce or misland for ${broken.join(", ")}`);
}

async function up(r = rehearsal): Promise<void> {
  const u = await r.up();
  if (u.code !== 0) throw new Error(`pulumi up failed:\n${u.output}`);
  console.log(summaryOf(u.output));
}

async function cleanup(r = rehearsal): Promise<void> {
  const done = await r.destroy();
  if (done.code !== 0) throw new Error(`pulumi destroy failed:\n${done.output}`);
  console.log(summaryOf(done.output));
}

/** A rehearsal on its own stack (stacks/Pulumi.<stack>.yaml, its world in .sim/<stack>/): the stack file is put back as it was, however the demo ends. */
async function onStack(stack: string, demo: (r: Rehearsal) => Promise<void>): Promise<void> {
  const r = stack === rehearsal.stack ? rehearsal : new Rehearsal(root, stack, path.join(root, ".sim", stack, "world.json"));
  const config = fs.readFileSync(r.stackFile, "utf8");
  try {
    await demo(r);
  } finally {
    fs.writeFileSync(r.stackFile, config);
  }
}

async function main(): Promise<void> {
  await onStack("demo", async (rehearsal) => {
    step("Prepare: a fresh simulated tenant and source; stack 'demo' (stacks/Pulumi.demo.yaml)");
    await rehearsal.reset({ domain: DOMAIN, organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave", "erin", "frank"] });
    await show();

    step("Review wave 1 (batches/wave1.csv): pulumi preview, as the cmdlets `up` will run");
    console.log(await rehearsal.plan());

    step("Wave 1: pulumi up");
    await up();
    await show();

    step("Wave 2 (batches/wave2.csv, the seed's 'Mailbox, ForwardTo' format): review and up");
    await rehearsal.setConfig("coexist:waves[1]", "batches/wave2.csv");
    console.log(await rehearsal.plan());
    await up();
    await show();

    step("Roll back bob@contoso.com (coexist:rollback): forwarding off first, then out of the group");
    await rehearsal.setConfig("coexist:rollback[0]", "bob@contoso.com");
    console.log(await rehearsal.plan());
    await up();
    await show();

    step("Cleanup before MX cutover: pulumi destroy is refused, nothing is touched");
    const early = await rehearsal.destroy();
    if (early.code === 0) throw new Error("destroy should have been refused before MX cutover");
    const refusal = early.output.split("\n").find((l) => l.includes("refusing to clean up")) ?? early.output;
    console.log(refusal.slice(refusal.indexOf("coexist: refusing")).split(": Error: ")[0]);
    await show();

    step("MX cutover: the consultant points contoso.com's MX at Exchange Online (simulated DNS)");
    rehearsal.updateWorld((w) => void (w.mx[DOMAIN] = "exchange"));
    await show();

    step("Cleanup with users still at the source (bob rolled back, frank in no wave): refused");
    const stranded = await rehearsal.destroy();
    if (stranded.code === 0) throw new Error("destroy should have been refused while users live on the source");
    const why = stranded.output.split("\n").find((l) => l.includes("still live")) ?? stranded.output;
    console.log(why.slice(why.indexOf("coexist: refusing")).split(": Error: ")[0]);

    step("Last wave: bob again (out of coexist:rollback) and frank (batches/wave3.csv)");
    await rehearsal.removeConfig("coexist:rollback");
    await rehearsal.setConfig("coexist:waves[2]", "batches/wave3.csv");
    console.log(await rehearsal.plan());
    await up();
    await show();

    step("Cleanup: pulumi destroy (rules → connector → group → domain Authoritative; forwarding off)");
    await cleanup();
    await show();
    console.log("\nRehearsal complete: everyone migrated, and no mail looped or bounced at any step.");
  });
}

/**
 * `npm run demo -- --seed1`: seed 1's model on its own stack (stacks/Pulumi.seed1.yaml): the list
 * of source users read from the source, the group of users still there filled in one command,
 * waves that take users out of it one by one (wave 2 in seed 1's own `Identity, Members` file),
 * each migrated mailbox given its catch-all subdomain address before the source forwards to it,
 * a new hire who lives only in Exchange Online (the source relays recipients it does not know),
 * a rollback, MX cutover, the last wave and the cleanup.
 */
async function seed1(): Promise<void> {
  await onStack("seed1", async (r) => {
    const HIRE = "hire@contoso.com";
    const showSeed1 = () => show(r, [HIRE]);
    step("Prepare: a simulated tenant with routing subdomain sub.contoso.com, a hire only in Exchange Online, a source that relays what it does not know");
    await r.reset({ domain: DOMAIN, organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave", "erin", "frank"], subdomain: "sub.contoso.com", cloudOnly: ["hire"], sourceRelay: true });
    await showSeed1();

    step("The source users, read from the source (coexist source-users; batches/seed1-source-users.csv holds them)");
    process.stdout.write(await sourceUsersCsv("seed1", root));

    step("Review wave 1: the group filled in one Update, then per user: leave it, subdomain address, forward");
    console.log(await r.plan());
    step("Wave 1: pulumi up");
    await up(r);
    await showSeed1();

    step("Wave 2 (batches/seed1-wave2.csv, seed 1's 'Identity, Members' file) and roll back bob");
    await r.setConfig("coexist:waves[1]", "batches/seed1-wave2.csv");
    await r.setConfig("coexist:rollback[0]", "bob@contoso.com");
    console.log(await r.plan());
    await up(r);
    await showSeed1();

    step("MX cutover, then the last wave: bob again and frank (batches/seed1-wave3.csv)");
    r.updateWorld((w) => void (w.mx[DOMAIN] = "exchange"));
    await r.removeConfig("coexist:rollback");
    await r.setConfig("coexist:waves[2]", "batches/seed1-wave3.csv");
    await up(r);
    await showSeed1();

    step("Cleanup: pulumi destroy (rules → connector → group → domain Authoritative; forwards and subdomain addresses off)");
    await cleanup(r);
    await showSeed1();
    console.log("\nSeed 1 rehearsal complete: everyone migrated, the hire got every message in Exchange Online, and no mail looped or bounced at any step.");
  });
}

/**
 * `npm run demo -- --google`: a Google Workspace source (stacks/Pulumi.google.yaml) on the
 * simulated Gmail API: the preview refusing a routing address Gmail would hold for verification,
 * waves to the routing subdomain (per user: the group, the subdomain address, the Gmail
 * forwarding address, auto-forwarding), auto-forwarding turned off by hand and put back, a
 * rollback, MX cutover, the last wave and the cleanup.
 */
async function google(): Promise<void> {
  await onStack("google", async (r) => {
    step("Prepare: a simulated tenant with routing subdomain o365.contoso.com, and Google Workspace as the source");
    await r.reset({ domain: DOMAIN, organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave", "erin", "frank"], subdomain: "o365.contoso.com", sourceKind: "google-workspace" });
    await show(r);

    step("Refused at preview: forwarding Gmail users to alias@contoso.onmicrosoft.com (Gmail would ask for verification)");
    await r.setConfig("coexist:routingTemplate", "{alias}@{tenant}");
    const refused = await r.run(["preview"]);
    if (refused.code === 0) throw new Error("preview should have refused a routing address Gmail would hold as pending");
    console.log(refused.output.split("\n").find((l) => l.includes("Gmail accepts a forwarding address"))?.trim() ?? refused.output);
    await r.setConfig("coexist:routingTemplate", "{alias}@o365.contoso.com");

    step("Review wave 1: per user the group, the subdomain address, the Gmail forwarding address, auto-forwarding");
    console.log(await r.plan());
    step("Wave 1: pulumi up");
    await up(r);
    await show(r);

    step("bob turns auto-forwarding off in Gmail: the plan, read from what is live, repairs it; a plain pulumi up puts it back");
    r.updateWorld((w) => {
      const bob = w.source.mailboxes.find((m) => m.Alias === "bob")!;
      bob.gmail!.autoForwarding.enabled = false;
      bob.ForwardingSmtpAddress = null;
    });
    console.log(await r.plan());
    await up(r);
    await show(r);

    step("Wave 2 (batches/by-template-wave2.csv) and roll back bob: auto-forwarding off, the address removed, then out of the group");
    await r.setConfig("coexist:waves[1]", "batches/by-template-wave2.csv");
    await r.setConfig("coexist:rollback[0]", "bob@contoso.com");
    console.log(await r.plan());
    await up(r);
    await show(r);

    step("MX cutover, then the last wave: bob again (out of coexist:rollback) and frank (batches/by-template-wave3.csv)");
    r.updateWorld((w) => void (w.mx[DOMAIN] = "exchange"));
    await r.removeConfig("coexist:rollback");
    await r.setConfig("coexist:waves[2]", "batches/by-template-wave3.csv");
    await up(r);
    await show(r);

    step("Cleanup: pulumi destroy (rules → connector → group → domain Authoritative; Gmail forwards and addresses off)");
    await cleanup(r);
    await show(r);
    console.log("\nGoogle Workspace rehearsal complete: everyone migrated, and no mail looped or bounced at any step.");
  });
}

/**
 * `npm run demo -- --vendor`: a hosted vendor with no API (stacks/Pulumi.vendor.yaml): coexist
 * does the tenant side and writes the worksheet for the vendor; `rehearse vendor-apply` plays the
 * vendor and confirms; a rollback waits in the group until the vendor confirmed the removal.
 */
async function vendor(): Promise<void> {
  await onStack("vendor", async (r) => {
    const files = vendorFiles(undefined, root, "vendor");
    const worksheet = () => console.log(fs.existsSync(files.worksheet) ? `  ${path.relative(root, files.worksheet)}:\n${fs.readFileSync(files.worksheet, "utf8").trimEnd().split("\n").map((l) => `    ${l}`).join("\n")}` : "  (no worksheet yet)");
    const vendorApplies = () => console.log(vendorApply("vendor", {}, root));
    fs.rmSync(path.dirname(files.worksheet), { recursive: true, force: true });
    step("Prepare: a simulated tenant, and HostCo's hosted system as the source (nothing connects to it)");
    await r.reset({ domain: DOMAIN, organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave", "erin", "frank"], sourceKind: "vendor" });
    await show(r);

    step("Wave 1: pulumi up joins each user to Migrated Users, then asks HostCo for their forwards in the worksheet");
    await up(r);
    worksheet();
    await show(r);

    step("HostCo applies the worksheet and confirms (rehearse vendor-apply); the next up drops the confirmed rows");
    vendorApplies();
    await up(r);
    worksheet();
    await show(r);

    step("Roll back bob: the worksheet asks HostCo to remove his forward; bob stays in the group until it confirms");
    await r.setConfig("coexist:rollback[0]", "bob@contoso.com");
    const waiting = await r.up();
    if (waiting.code !== 0) throw new Error(`pulumi up failed:\n${waiting.output}`);
    console.log(waiting.output.split("\n").find((l) => l.includes("waiting for HostCo"))?.trim() ?? summaryOf(waiting.output));
    worksheet();
    await show(r);

    step("HostCo confirms the removal: the next up takes bob out of the group");
    vendorApplies();
    await up(r);
    await show(r);

    step("The last waves (dave, erin; then bob again and frank), applied by HostCo, then MX cutover");
    await r.removeConfig("coexist:rollback");
    await r.setConfig("coexist:waves[1]", "batches/by-template-wave2.csv");
    await r.setConfig("coexist:waves[2]", "batches/by-template-wave3.csv");
    await up(r);
    vendorApplies();
    await up(r);
    r.updateWorld((w) => void (w.mx[DOMAIN] = "exchange"));
    await show(r);

    step("Cleanup: pulumi destroy; the worksheet asks HostCo to remove every forward");
    await cleanup(r);
    worksheet();
    step("HostCo removes every forward and confirms: nothing is left at the source");
    vendorApplies();
    await show(r);
    console.log("\nVendor rehearsal complete: everyone migrated, no mail looped or bounced, and no rollback left the group before HostCo confirmed.");
  });
}

const demos: Record<string, () => Promise<void>> = { "--seed1": seed1, "--google": google, "--vendor": vendor };
(demos[process.argv.find((a) => a in demos) ?? ""] ?? main)().catch((e: Error) => {
  console.error(`\ndemo failed: ${e.message}`);
  process.exit(1);
});
