import * as fs from "node:fs";
import * as path from "node:path";
import { Language, Node, Parser } from "web-tree-sitter";
import { cmdletSpecs } from "../exchange/cmdlets";
import { ErrorKind, ExchangeError } from "../exchange/errors";
import { PROTOCOL_VERSION } from "../exchange/protocol";
import * as simulated from "../simulator/errors";

/*
 * runner.ps1 cannot run here (no pwsh), so these tests check it statically with the
 * tree-sitter PowerShell grammar (tree-sitter-powershell's bundled .wasm, run by web-tree-sitter).
 * The grammar is stricter than PowerShell in a few places: it rejects -cin/-cnotin, the ternary
 * and ??= operators, and barewords in a comma list (`-CommandType Cmdlet, Function`). runner.ps1
 * avoids them. It is also looser in some others: it accepts `try { }` with no catch. So a pass
 * here means "well formed", not "runs"; parity.test.ts asks pwsh itself where pwsh exists.
 */

// Tests run compiled from provider/dist/runner; the script stays beside its source.
const runnerPath = path.join(__dirname, "..", "..", "src", "runner", "runner.ps1");

let parser: Parser;

beforeAll(async () => {
  await Parser.init();
  // Bytes, not a path: given a path, web-tree-sitter reaches for fs with a dynamic import(),
  // which Jest's CommonJS sandbox refuses.
  const wasm = fs.readFileSync(require.resolve("tree-sitter-powershell/tree-sitter-powershell.wasm"));
  const language = await Language.load(new Uint8Array(wasm));
  parser = new Parser();
  parser.setLanguage(language);
});

afterAll(() => parser?.delete());

function parse(source: string): Node {
  const tree = parser.parse(source);
  if (!tree) throw new Error("the parser returned no tree");
  return tree.rootNode;
}

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

const at = (node: Node) => `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;

/** Every place the parser could not make sense of, as "line:column what". */
function syntaxProblems(root: Node): string[] {
  if (!root.hasError) return [];
  const problems: string[] = [];
  for (const node of walk(root)) {
    if (node.isMissing) problems.push(`${at(node)} missing ${node.type}`);
    else if (node.type === "ERROR") problems.push(`${at(node)} cannot parse ${JSON.stringify(node.text.slice(0, 80))}`);
  }
  return problems;
}

const forbiddenCommands = new Set(["invoke-expression", "iex", "add-type"]);
const scriptBlockTypes = new Set(["scriptblock", "system.management.automation.scriptblock"]);
const forbiddenMembers = new Set(["newscriptblock", "invokescript"]);
// The same constructs as text, for spellings the tree checks might miss (e.g. `& 'iex'`).
const forbiddenText =
  /\b(?:Invoke-Expression|iex|Add-Type)\b|\[\s*(?:System\.Management\.Automation\.)?ScriptBlock\s*\]\s*::\s*Create\b|\bNewScriptBlock\b|\bInvokeScript\b/i;

/** Everything that turns text into code: the runner must never have any of it. */
function scriptTextConstructs(source: string, root: Node): string[] {
  const found: string[] = [];
  for (const node of walk(root)) {
    const text = node.text.toLowerCase();
    if (node.type === "command_name" && forbiddenCommands.has(text)) found.push(`${at(node)} ${node.text}`);
    if (node.type === "member_name" && forbiddenMembers.has(text)) found.push(`${at(node)} .${node.text}`);
    if (node.type === "invokation_expression") {
      const type = node.children.find((c) => c.type === "type_literal");
      const member = node.children.find((c) => c.type === "member_name");
      const typeName = type?.text.replace(/[\[\]\s]/g, "").toLowerCase();
      if (typeName && scriptBlockTypes.has(typeName) && member?.text.toLowerCase() === "create") {
        found.push(`${at(node)} ${type!.text}::${member.text}`);
      }
    }
  }
  // Comments may name the forbidden things (to forbid them); code may not.
  let code = source;
  for (const node of walk(root)) {
    if (node.type === "comment") {
      code = code.slice(0, node.startIndex) + " ".repeat(node.endIndex - node.startIndex) + code.slice(node.endIndex);
    }
  }
  const match = forbiddenText.exec(code);
  if (match) found.push(`text ${JSON.stringify(match[0])}`);
  return found;
}

/**
 * pwsh -File reads all of stdin up front and pipes it to the script when the script uses
 * $input (ConsoleHost: AstSearcher.IsUsingDollarInput). The runner would then never see a
 * request until stdin closed.
 */
function dollarInputUses(root: Node): string[] {
  return [...walk(root)]
    .filter((n) => n.type === "variable" && /^[$@]\{?input\}?$/i.test(n.text))
    .map((n) => `${at(n)} ${n.text}`);
}

/** runner.ps1's $ErrorKinds table: kind and pattern, in order. */
function errorTable(root: Node): Array<[string, RegExp]> {
  const table = [...walk(root)].find((n) => n.type === "assignment_expression" && n.children[0]?.text === "$ErrorKinds");
  if (!table) throw new Error("runner.ps1 has no $ErrorKinds table");
  const unquote = (s: string) => s.trim().replace(/^'|'$/g, "").replace(/''/g, "'");
  return [...walk(table)]
    .filter((n) => n.type === "hash_entry")
    .map((entry) => {
      const key = entry.children.find((c) => c.type === "key_expression")!;
      const value = entry.children.find((c) => c.type === "pipeline")!;
      // PowerShell's -match is case-insensitive; the patterns use only constructs that .NET and
      // JavaScript read alike (groups, classes, \b, \D, \w, bounded repeats).
      return [unquote(key.text), new RegExp(unquote(value.text), "i")] as [string, RegExp];
    });
}

/** What Get-ErrorKind in runner.ps1 does with "$reason`n$text". */
function classify(table: Array<[string, RegExp]>, reason: string, message: string): string {
  const text = `${reason}\n${message}`;
  return table.find(([, pattern]) => pattern.test(text))?.[0] ?? "other";
}

/** The cmdlet names in runner.ps1's built-in $KnownCmdlets list. */
function knownCmdlets(root: Node): string[] {
  const list = [...walk(root)].find((n) => n.type === "assignment_expression" && n.children[0]?.text === "$KnownCmdlets");
  if (!list) throw new Error("runner.ps1 has no $KnownCmdlets list");
  return [...list.text.matchAll(/'([A-Za-z]+-[A-Za-z0-9]+)'/g)].map((m) => m[1]!);
}

/** The text of one function of the script, found by the parser rather than by a pattern. */
function functionText(root: Node, name: string): string {
  const fn = [...walk(root)].find((n) => n.type === "function_statement" && n.children.some((c) => c.type === "function_name" && c.text === name));
  if (!fn) throw new Error(`runner.ps1 has no function ${name}`);
  return fn.text;
}

function simulatorError(raise: () => never): [string, string, string] {
  try {
    raise();
  } catch (e) {
    if (e instanceof ExchangeError) return [e.reason ?? "", e.message, e.kind];
    throw e;
  }
}

describe("runner.ps1", () => {
  const source = fs.readFileSync(runnerPath, "utf8");

  test("runner.ps1 parses as PowerShell with no syntax errors", () => {
    expect(syntaxProblems(parse(source))).toEqual([]);
  });

  test("the parser reports a script with unbalanced braces as a syntax error", () => {
    const broken = "function Get-Broken {\n    if ($true) {\n        'no closing braces'\n";
    expect(syntaxProblems(parse(broken)).length).toBeGreaterThan(0);
  });

  test("the parser reports runner.ps1 with one closing brace removed as a syntax error", () => {
    const lines = source.split("\n");
    const closing = lines.findIndex((l) => l === "}");
    expect(closing).toBeGreaterThan(0);
    const broken = [...lines.slice(0, closing), ...lines.slice(closing + 1)].join("\n");
    expect(syntaxProblems(parse(broken)).length).toBeGreaterThan(0);
  });

  test("runner.ps1 never turns text into code: no Invoke-Expression, iex, [scriptblock]::Create or Add-Type", () => {
    expect(scriptTextConstructs(source, parse(source))).toEqual([]);
  });

  test.each([
    ["Invoke-Expression", "Invoke-Expression -Command $request.cmdlet"],
    ["iex", "$line | iex"],
    ["[scriptblock]::Create", "$block = [scriptblock]::Create($text)"],
    ["[System.Management.Automation.ScriptBlock]::Create", "$block = [System.Management.Automation.ScriptBlock]::Create($text)"],
    ["NewScriptBlock", "$block = $ExecutionContext.InvokeCommand.NewScriptBlock($text)"],
    ["Add-Type", "Add-Type -TypeDefinition $code"],
    ["a quoted command name", "& 'Invoke-Expression' $text"],
  ])("the script-text check finds %s", (_name, snippet) => {
    expect(scriptTextConstructs(snippet, parse(snippet)).length).toBeGreaterThan(0);
  });

  test("the script-text check ignores comments that name the forbidden constructs", () => {
    const snippet = "# no Invoke-Expression, no iex, no [scriptblock]::Create\n& $command @splat";
    expect(scriptTextConstructs(snippet, parse(snippet))).toEqual([]);
  });

  test("runner.ps1 never uses $input, which would make pwsh -File swallow stdin", () => {
    expect(dollarInputUses(parse(source))).toEqual([]);
    expect(dollarInputUses(parse("foreach ($line in $input) { $line }"))).toEqual(["1:19 $input"]);
  });

  test("runner.ps1's built-in allow-list is exactly the cmdlets coexist drives", () => {
    expect(knownCmdlets(parse(source)).sort()).toEqual([...cmdletSpecs.keys()].sort());
  });

  test("runner.ps1 refuses a cmdlet off its list before anything else, and runs a command only past both gates", () => {
    const invoke = functionText(parse(source), "Invoke-Cmdlet");
    const order = ["$KnownCmdlets.Contains($name)", "if (-not $script:Connection)", "$script:Allow.Contains($name)", "& $command @splat"].map((t) => invoke.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Each gate answers CommandNotFoundException and returns: nothing after it runs.
    for (const gate of ["$KnownCmdlets.Contains($name)) {", "-not $script:Allow.Contains($name)) {"]) {
      const body = invoke.slice(invoke.indexOf(gate) + gate.length).trimStart();
      expect(body).toMatch(/^return New-ErrorResponse \$id 'invalid-parameter' 'CommandNotFoundException' /);
    }
    // The call operator runs a command in exactly one place in the whole script.
    expect([...source.matchAll(/&\s*\$command\b/g)]).toHaveLength(1);
    // A connect request cannot widen the list: names off it are a protocol error.
    expect(functionText(parse(source), "Get-RequestProblem")).toContain("if (-not $KnownCmdlets.Contains($name)) {");
  });

  // What a runner does when its pool goes away, proven on the parse tree (no pwsh here). pwsh
  // reads stdin only between commands: a cmdlet under way when input ends runs to its end (or
  // until the pool's grace runs out and it is killed), its answer is written, and then the next
  // ReadLine sees the end of input.
  test("runner.ps1 reads requests until end of input, then disconnects and exits 0, whatever ended the loop", () => {
    const root = parse(source);
    const main = [...walk(root)].find((n) => n.type === "function_statement" && n.children.some((c) => c.type === "function_name" && c.text === "Invoke-Main"))!;
    const loops = [...walk(main)].filter((n) => n.type === "while_statement");
    expect(loops).toHaveLength(1);
    const loop = loops[0]!;
    // The loop ends exactly when ReadLine returns $null: end of input.
    expect(loop.children.find((c) => c.type === "while_condition")?.text).toBe("$null -ne ($line = $script:RequestIn.ReadLine())");
    // It is the only reader of stdin, so nothing else can block on it or swallow it.
    expect([...source.matchAll(/\.ReadLine\(\)|ReadToEnd|\[Console\]::In\b|\[Console\]::Read/g)].map((m) => m[0])).toEqual([".ReadLine()"]);
    // The loop sits in a try whose finally disconnects, so a failure inside it (a broken
    // stdout once the pool is gone) leads to the disconnect too.
    const guard = loop.parent?.parent?.parent;
    expect(guard?.type).toBe("try_statement");
    expect(guard!.children.find((c) => c.type === "finally_clause")?.text).toMatch(/^finally \{\s*Disconnect-Target\s*\}$/);
    // The script ends with the main loop and exit 0.
    const top = root.children.find((c) => c.type === "statement_list")!.namedChildren;
    expect(top.slice(-2).map((n) => n.text)).toEqual(["Invoke-Main *>&1 | ForEach-Object { Write-Diagnostic $_ }", "exit 0"]);
  });

  test("runner.ps1 gives the connection back on its way out, each kind on its own, a failure only reported", () => {
    const disconnect = [...walk(parse(source))].find(
      (n) => n.type === "function_statement" && n.children.some((c) => c.type === "function_name" && c.text === "Disconnect-Target"),
    )!;
    const tries = [...walk(disconnect)].filter((n) => n.type === "try_statement");
    const body = (t: Node) => t.children.find((c) => c.type === "statement_block")!.text;
    expect(tries.map(body).map((b) => b.replace(/\s+/g, " "))).toEqual([
      "{ Disconnect-ExchangeOnline -Confirm:$false -ErrorAction Stop }",
      "{ Remove-PSSession -Session $script:RemoteSession -ErrorAction Stop }",
    ]);
    // Each has a catch, so a failed Disconnect-ExchangeOnline neither skips Remove-PSSession
    // nor stops the runner from exiting.
    for (const t of tries) expect(t.children.some((c) => c.type.startsWith("catch"))).toBe(true);
  });

  test("runner.ps1 keeps going when nobody reads its stderr any more: a lost diagnostic never stops the disconnect", () => {
    const writer = [...walk(parse(source))].find(
      (n) => n.type === "function_statement" && n.children.some((c) => c.type === "function_name" && c.text === "Write-Diagnostic"),
    )!;
    const writes = [...walk(writer)].filter((n) => n.type === "invokation_expression" && /^\[Console\]::Error\.WriteLine\(/.test(n.text));
    expect(writes).toHaveLength(1);
    let t: Node | null = writes[0]!;
    while (t && t.type !== "try_statement") t = t.parent;
    expect(t).not.toBeNull();
    const catches = t!.children.filter((c) => c.type.startsWith("catch")).map((c) => c.text);
    expect(catches.join("\n")).toMatch(/^catch \[System\.IO\.IOException\] \{/);
    // Nothing else in the script writes to stderr directly.
    expect([...source.matchAll(/\[Console\]::Error\.Write/g)]).toHaveLength(1);
  });

  test("runner.ps1 announces the protocol version of protocol.ts", () => {
    const match = /^\$ProtocolVersion = (\d+)$/m.exec(source);
    expect(match && Number(match[1])).toBe(PROTOCOL_VERSION);
  });

  test("runner.ps1 answers only with error kinds that protocol.ts knows", () => {
    const tableKinds = errorTable(parse(source)).map(([kind]) => kind);
    // Kinds named directly: New-ErrorResponse $id '<kind>' ..., $kind = '<kind>', return '<kind>'.
    const literalKinds = [...source.matchAll(/New-ErrorResponse \S+ '([a-z-]+)'|\$kind = '([a-z-]+)'|return '([a-z-]+)'$/gm)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
    expect(tableKinds).toEqual(["not-found", "already-exists", "throttled", "transient", "invalid-parameter", "auth"]);
    expect(literalKinds.length).toBeGreaterThan(0);
    for (const kind of [...tableKinds, ...literalKinds]) expect(ErrorKind.options).toContain(kind);
  });

  // Exchange's texts from shared/reference/exchange-cmdlets.md (sections 0 and 6) and common
  // .NET/HTTP failures, with the kind callers must see.
  test.each([
    ["ManagementObjectNotFoundException", "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'contoso.com' couldn't be found on 'DB6PR06A001DC06.EURPR06A001.prod.outlook.com'.", "not-found"],
    ["ParameterBindingException", `Cannot process argument transformation on parameter 'Member'. Couldn't find object "ghost@contoso.com". Please make sure that it was spelled correctly or specify a different object.`, "not-found"],
    ["MemberAlreadyExistsException", "The recipient user@contoso.com is already a member of the group sales@contoso.com.", "already-exists"],
    ["PSRemotingTransportException", "Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency.", "throttled"],
    ["HttpRequestException", "Response status code does not indicate success: 429 (Too Many Requests).", "throttled"],
    ["WebException", "The remote server returned an error: (503) Server Unavailable.", "transient"],
    ["TimeoutException", "The operation has timed out.", "transient"],
    ["ParameterBindingValidationException", "Cannot validate argument on parameter 'Name'. The argument is null or empty.", "invalid-parameter"],
    ["RuntimeException", "A parameter cannot be found that matches parameter name 'Colour'.", "invalid-parameter"],
    ["MsalServiceException", "AADSTS700027: Client assertion contains an invalid signature.", "auth"],
    ["UnauthorizedAccessException", "Access is denied.", "auth"],
    ["ManagementObjectAmbiguousException", "The operation couldn't be performed because 'sales' matches multiple entries.", "other"],
    ["RecipientTaskException", "The group can't have more than 500 owners.", "other"],
  ])("runner.ps1's error table reads %s as the right kind", (reason, message, kind) => {
    expect(classify(errorTable(parse(source)), reason, message)).toBe(kind);
  });

  test("runner.ps1's error table gives the simulator's own errors the simulator's kinds", () => {
    const table = errorTable(parse(source));
    const cases: Array<[string, string, string]> = [
      simulatorError(() => simulated.notFound("contoso.com")),
      simulatorError(() => simulated.ambiguous("sales")),
      simulatorError(() => simulated.unresolvedRecipient("ghost@contoso.com")),
      simulatorError(() => simulated.proxyInUse("smtp:a@contoso.com", "Alice")),
      simulatorError(() => simulated.objectExists("CN=Sales,OU=contoso.onmicrosoft.com")),
      // The simulator runner's throttling and transient faults (provider/src/simulator/runner.ts).
      ["ThrottlingException", "The request was throttled. Retry after 1 seconds.", "throttled"],
      ["ADTransientException", "Active Directory operation failed: the domain controller is not available right now. Please try again later.", "transient"],
    ];
    for (const [reason, message, kind] of cases) {
      expect({ message, kind: classify(table, reason, message) }).toEqual({ message, kind });
    }
  });
});
