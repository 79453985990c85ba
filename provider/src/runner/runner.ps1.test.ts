import * as fs from "node:fs";
import * as path from "node:path";
import { Language, Node, Parser } from "web-tree-sitter";
import { cmdletsByRole, cmdletSpecs, RemoveCoexistGmailForwardingAddress } from "../exchange/cmdlets";
import { errorTablePath, kindOf, readErrorTable } from "../exchange/errorKinds";
import { ErrorKind } from "../exchange/errors";
import { ProbeOutput, PROTOCOL_VERSION } from "../exchange/protocol";

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
const helperPath = path.join(__dirname, "..", "..", "src", "runner", "CoexistGoogle.psm1");

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

/** The script's top-level statement that assigns `variable`, found by the parser. */
function assignment(root: Node, variable: string): Node {
  const found = [...walk(root)].find((n) => n.type === "assignment_expression" && n.children[0]?.text === variable);
  if (!found) throw new Error(`runner.ps1 assigns no ${variable}`);
  return found;
}

const unquote = (s: string) => s.trim().replace(/^'|'$/g, "").replace(/''/g, "'");

/** The cmdlet names in one of runner.ps1's built-in lists ($KnownCmdlets, $GoogleCmdlets). */
function knownCmdlets(root: Node, variable = "$KnownCmdlets"): string[] {
  const list = [...walk(root)].find((n) => n.type === "assignment_expression" && n.children[0]?.text === variable);
  if (!list) throw new Error(`runner.ps1 has no ${variable} list`);
  return [...list.text.matchAll(/'([A-Za-z]+-[A-Za-z0-9]+)'/g)].map((m) => m[1]!);
}

/** The text of one function of the script, found by the parser rather than by a pattern. */
function functionText(root: Node, name: string): string {
  const fn = [...walk(root)].find((n) => n.type === "function_statement" && n.children.some((c) => c.type === "function_name" && c.text === name));
  if (!fn) throw new Error(`runner.ps1 has no function ${name}`);
  return fn.text;
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
      // google-workspace (design §3.2): PSGSuite and CoexistGoogle, then the temporary home folder.
      "{ Remove-Module -ModuleInfo $googleLoaded -Force -ErrorAction Stop }",
      "{ Remove-Item -LiteralPath $script:TempHome -Recurse -Force -ErrorAction Stop }",
    ]);
    // Each has a catch, so a failed Disconnect-ExchangeOnline neither skips Remove-PSSession
    // nor stops the runner from exiting, and a failed Remove-Module still removes the folder.
    for (const t of tries) expect(t.children.some((c) => c.type.startsWith("catch"))).toBe(true);
    // Each sits in an if of its own at the function's top level, not behind another's success:
    // the folder goes whenever one was made, even after a connect that failed (no $script:Connection test).
    const text = disconnect.text.replace(/\s+/g, " ");
    expect(text).toContain("$googleLoaded = @(Get-Module -Name $GoogleModules) if ($googleLoaded.Count -gt 0) { try {");
    expect(text).toContain("if ($null -ne $script:TempHome) { try { Remove-Item");
    expect(text).toMatch(/\$script:TempHome = \$null \}$/);
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

  // The error table is a data file beside the script (errorKinds.json); the simulator reads the
  // same file (exchange/errorKinds.ts), so the two can never disagree about a text.
  test("runner.ps1 reads its error table from errorKinds.json in its own folder, the file the simulator reads", () => {
    const root = parse(source);
    expect(assignment(root, "$ErrorKindsPath").text).toBe("$ErrorKindsPath = Join-Path -Path $PSScriptRoot -ChildPath 'errorKinds.json'");
    // The file that path names ships beside runner.ps1, and is the one errorKinds.ts reads.
    const beside = path.join(path.dirname(runnerPath), "errorKinds.json");
    expect(fs.existsSync(beside)).toBe(true);
    expect(path.resolve(errorTablePath)).toBe(path.resolve(beside));
    // Read once at start, at the top level (not in a function), with ConvertFrom-Json; each row
    // becomes a kind and a case-insensitive [regex], in file order.
    const loop = [...walk(root)].find((n) => n.type === "foreach_statement" && n.text.includes("$ErrorKindsPath"));
    expect(loop).toBeDefined();
    let up: Node | null = loop!.parent;
    while (up && up.type !== "function_statement") up = up.parent;
    expect(up).toBeNull();
    expect(loop!.text).toContain("(Get-Content -LiteralPath $ErrorKindsPath -Raw -Encoding utf8 | ConvertFrom-Json).rows");
    expect(loop!.text).toContain("$ErrorKinds.Add(");
    expect(loop!.text).toMatch(/Kind\s+= \[string\] \$row\.kind/);
    expect(loop!.text).toMatch(/Pattern = \[regex\]::new\(\[string\] \$row\.pattern, \[System\.Text\.RegularExpressions\.RegexOptions\]::IgnoreCase\)/);
    expect(assignment(root, "$ErrorKinds").text).toBe("$ErrorKinds = [System.Collections.Generic.List[object]]::new()");
    // Under Set-StrictMode a missing property is an error: every row has exactly the properties
    // the script reads (readErrorTable refuses others), and the top level has `rows`.
    const raw = JSON.parse(fs.readFileSync(beside, "utf8")) as { rows: Array<Record<string, unknown>> };
    for (const row of raw.rows) expect(Object.keys(row).sort()).toEqual(["kind", "pattern", "source"]);
    expect(/^Set-StrictMode -Version Latest$/m.test(source)).toBe(true);
  });

  test("runner.ps1 keeps no error patterns of its own: every kind comes from the table, first match wins", () => {
    const root = parse(source);
    // No inline table: no hashtable keyed by kinds, and no string holding a row's pattern.
    const kinds = new Set<string>(ErrorKind.options);
    const keyed = [...walk(root)].filter((n) => n.type === "hash_entry" && kinds.has(unquote(n.children.find((c) => c.type === "key_expression")?.text ?? "")));
    expect(keyed.map((n) => `${at(n)} ${n.text}`)).toEqual([]);
    const strings = [...walk(root)].filter((n) => n.type === "verbatim_string_characters" || n.type === "expandable_string_literal").map((n) => unquote(n.text));
    // (Short rows such as "throttl" are words the script may well say: 'throttled' is a kind.)
    for (const row of readErrorTable().filter((r) => r.pattern.length >= 12)) expect(strings.filter((t) => t.includes(row.pattern))).toEqual([]);
    expect(source).not.toMatch(/\$ErrorKinds = \[ordered\]@\{|\|token\|/);
    // Get-ErrorKind: the rows in order, the first match's kind, else other.
    const kind = functionText(root, "Get-ErrorKind").replace(/\s+/g, " ");
    expect(kind).toContain("foreach ($row in $ErrorKinds) { if ($row.Pattern.IsMatch($Text)) { return $row.Kind } } return 'other' }");
  });

  test("runner.ps1 answers only with error kinds that protocol.ts knows", () => {
    const tableKinds = readErrorTable().map((r) => r.kind);
    // Kinds named directly: New-ErrorResponse $id '<kind>' ..., $kind = '<kind>', return '<kind>'.
    const literalKinds = [...source.matchAll(/New-ErrorResponse \S+ '([a-z-]+)'|\$kind = '([a-z-]+)'|return '([a-z-]+)'$/gm)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
    expect(new Set(tableKinds)).toEqual(new Set(ErrorKind.options));
    expect(literalKinds.length).toBeGreaterThan(0);
    for (const kind of [...tableKinds, ...literalKinds]) expect(ErrorKind.options).toContain(kind);
  });

  // runner.ps1's own answers (malformed requests, refused cmdlets, no connection) name their kind
  // directly; the table must give their texts the same kind, so the simulator's copies agree.
  test("the table gives runner.ps1's own error texts the kinds runner.ps1 names", () => {
    const literal = [...source.matchAll(/New-ErrorResponse \S+ '([a-z-]+)' '(\w+)' (?:'((?:[^']|'')*)'|"([^"]*)"|(\$\w+))/g)];
    expect(literal.length).toBeGreaterThanOrEqual(6);
    for (const [, kind, reason, single, double, variable] of literal) {
      const message = single !== undefined ? single.replace(/''/g, "'") : (double ?? variable ?? "");
      expect({ reason, message, kind: kindOf(reason, message) }).toEqual({ reason, message, kind });
    }
  });

  // Preflight's requests (docs/runner-protocol.md, probe and the connect answer).
  test("runner.ps1 answers a probe before any connect, from $PSVersionTable and installed modules only, with the fields protocol.ts reads", () => {
    const root = parse(source);
    expect(functionText(root, "Get-RequestProblem")).toMatch(/if \(\$type -ceq 'probe'\) \{\s*return \$null\s*\}/);
    // Dispatched before invoke, and not behind the connection check (Invoke-Cmdlet holds that).
    const dispatch = functionText(root, "Invoke-Request");
    expect(dispatch.indexOf("Invoke-Probe $request")).toBeGreaterThan(0);
    expect(dispatch.indexOf("Invoke-Probe $request")).toBeLessThan(dispatch.indexOf("Invoke-Cmdlet $request"));
    const probe = functionText(root, "Invoke-Probe");
    // The request is read for its id and nothing else: no request data reaches a command.
    expect([...probe.matchAll(/\$Request\[(.*?)\]/g)].map((m) => m[1])).toEqual(["'id'"]);
    // PSGSuite and the Configuration module it requires, for a Google Workspace source (design §3.1).
    expect(probe).toContain("foreach ($name in @('ExchangeOnlineManagement', 'PSWSMan', 'PSGSuite', 'Configuration'))");
    expect(probe).toContain("Get-Module -ListAvailable -Name $name");
    const keys = [...probe.matchAll(/^\s+(\w+)\s+= /gm)].map((m) => m[1]).sort();
    expect(keys).toEqual(Object.keys(ProbeOutput.shape).sort());
  });

  test("runner.ps1's connect answers with the allow-listed cmdlets the session loaded", () => {
    const root = parse(source);
    const connect = functionText(root, "Invoke-Connect").replace(/\s+/g, " ");
    expect(connect).toContain("foreach ($name in $allow) { $command = Find-SessionCommand $name if ($null -ne $command) { $loaded.Add([ordered]@{ Name = $command.Name }) } }");
    // A module's command only (the session's proxies), and for a Google session PSGSuite's or
    // CoexistGoogle's only (design §3.2): the same lookup as Invoke-Cmdlet's.
    expect(functionText(root, "Find-SessionCommand").replace(/\s+/g, " ")).toContain(
      "Get-Command -Name $Name -CommandType 'Cmdlet', 'Function' -ErrorAction SilentlyContinue | Where-Object { $_.ModuleName -and ($null -eq $modules -or $modules -contains $_.ModuleName) } | Select-Object -First 1",
    );
    expect(functionText(root, "Invoke-Cmdlet")).toContain("$command = Find-SessionCommand $name");
    expect([...source.matchAll(/Get-Command -Name \$(\w+)/g)].map((m) => m[1])).toEqual(["Name"]);
    expect(connect).toContain("$response['output'] = [object[]] $loaded.ToArray()");
    // A missing module is not a logon failure, and no retry can help.
    expect(connect).toMatch(/elseif \(\$_\.Exception -is \[System\.IO\.FileNotFoundException\]\) \{ .*\$kind = 'other' \}/);
  });

  test("runner.ps1 checks what a connect needs before connecting: the module, PSWSMan off Windows (enabled in the process when it is 3.x), Basic only over https", () => {
    const root = parse(source);
    const online = functionText(root, "Connect-ExchangeOnlineTarget");
    expect(online.indexOf("Get-Module -ListAvailable -Name ExchangeOnlineManagement")).toBeGreaterThan(0);
    expect(online.indexOf("Get-Module -ListAvailable -Name ExchangeOnlineManagement")).toBeLessThan(online.indexOf("Import-Module -Name ExchangeOnlineManagement"));
    const onprem = functionText(root, "Connect-OnPremisesTarget");
    const session = onprem.indexOf("$session = New-PSSession");
    const basic = onprem.indexOf("if ($authentication -eq 'Basic' -and -not $uri.StartsWith('https://', [System.StringComparison]::OrdinalIgnoreCase))");
    const wsman = onprem.indexOf("$pswsman = @(Get-Module -ListAvailable -Name PSWSMan");
    expect(basic).toBeGreaterThan(0);
    expect(wsman).toBeGreaterThan(0);
    expect(Math.max(basic, wsman)).toBeLessThan(session);
    // PSWSMan 3 hooks the engine per process (Enable-PSWSMan); 2.x was installed once (Install-WSMan).
    const flatOnprem = onprem.replace(/\s+/g, " ");
    const enable = flatOnprem.indexOf("if ($pswsman[0].Version.Major -ge 3) { Import-Module -Name $pswsman[0].Path -Global -DisableNameChecking -ErrorAction Stop Enable-PSWSMan -Force -ErrorAction Stop }");
    expect(enable).toBeGreaterThan(flatOnprem.indexOf("$pswsman = @(Get-Module"));
    expect(enable).toBeLessThan(flatOnprem.indexOf("$session = New-PSSession"));
  });
});

// A Google Workspace source through PSGSuite (docs/design/sources-google-and-vendor.md §3.2, §3.3).
describe("runner.ps1's google-workspace connect and CoexistGoogle.psm1", () => {
  const source = fs.readFileSync(runnerPath, "utf8");
  const helper = fs.readFileSync(helperPath, "utf8");
  const flat = (t: string) => t.replace(/\s+/g, " ");
  /** The text without its comments (which may name what the code must not do). */
  const code = (text: string) => {
    let out = text;
    for (const n of [...walk(parse(text))].filter((c) => c.type === "comment").reverse()) out = out.slice(0, n.startIndex) + " ".repeat(n.endIndex - n.startIndex) + out.slice(n.endIndex);
    return out;
  };

  test("the google role's built-in list is exactly cmdletsByRole.google, and every name is on $KnownCmdlets", () => {
    const root = parse(source);
    const google = knownCmdlets(root, "$GoogleCmdlets");
    expect([...google].sort()).toEqual([...cmdletsByRole.google.keys()].sort());
    expect(google).toHaveLength(8);
    for (const name of google) expect(knownCmdlets(root)).toContain(name);
    // No name is both a Google and an Exchange cmdlet, so the role gate below is exact.
    for (const name of google) expect([...cmdletsByRole.exchange.keys(), ...cmdletsByRole.source.keys()]).not.toContain(name);
  });

  test("a connect's role decides which list its allow names come from, and google goes with a google-workspace target only", () => {
    const problem = flat(functionText(parse(source), "Get-RequestProblem"));
    expect(problem).toContain(`if (-not (@('exchange', 'source', 'google') -ccontains $role)) {`);
    expect(problem).toContain("if (($role -ceq 'google') -ne ($Request['target']['kind'] -ceq 'google-workspace')) {");
    // Inside the loop over allow, after the built-in list: a Google name in an Exchange session
    // (or the reverse) is a protocol error, so Get-Command never autoloads PSGSuite there.
    const loop = problem.slice(problem.indexOf("foreach ($name in $allow)"));
    expect(loop.indexOf("if (-not $KnownCmdlets.Contains($name)) {")).toBeGreaterThan(0);
    expect(loop.indexOf("if (($role -ceq 'google') -ne $GoogleCmdlets.Contains($name)) {")).toBeGreaterThan(loop.indexOf("$KnownCmdlets.Contains($name)"));
  });

  test("Invoke-Connect sends a google-workspace target to its own branch", () => {
    const connect = flat(functionText(parse(source), "Invoke-Connect"));
    expect(connect).toContain("elseif ($kind -ceq 'google-workspace') { Connect-GoogleWorkspaceTarget $target $allow }");
    expect(connect).toContain("$script:Role = $Request['role']");
  });

  test("the key, its private_key and its private_key_id are secrets before anything can fail, scrubbed from every message and stderr line", () => {
    const root = parse(source);
    const connect = flat(functionText(root, "Invoke-Connect"));
    const registered = connect.indexOf("foreach ($field in @('password', 'certificatePassword', 'certificateBase64', 'serviceAccountKey')) {");
    const parts = connect.indexOf("foreach ($value in @(Get-KeySecrets $target['serviceAccountKey'])) { $script:Secrets.Add($value) }");
    expect(registered).toBeGreaterThan(0);
    expect(parts).toBeGreaterThan(registered);
    // Both before the try that connects.
    expect(parts).toBeLessThan(connect.indexOf("try { $kind = $target['kind']"));
    const keySecrets = flat(functionText(root, "Get-KeySecrets"));
    expect(keySecrets).toContain("foreach ($field in @('private_key', 'private_key_id')) {");
    // The JSON parser's message quotes the key: its catch never reads the error.
    const catches = [...walk(parse(functionText(root, "Get-KeySecrets")))].filter((n) => n.type === "catch_clause").map((n) => n.text);
    expect(catches).toHaveLength(1);
    expect(catches[0]).not.toMatch(/\$_|\$Error|\$PSItem/);
    // A PEM key holds line breaks: scrubbed before the message is put on one line, and after.
    expect(flat(functionText(root, "New-ErrorResponse"))).toContain("message = Protect-Text (ConvertTo-SingleLine (Protect-Text $Message))");
    expect(flat(functionText(root, "Write-Diagnostic"))).toContain("[Console]::Error.WriteLine((Protect-Text (ConvertTo-SingleLine (Protect-Text $text))))");
  });

  test("Connect-GoogleWorkspaceTarget checks the modules, moves the home folder, configures PSGSuite in memory, imports both modules, in that order", () => {
    const fn = functionText(parse(source), "Connect-GoogleWorkspaceTarget");
    const text = flat(fn);
    const order = [
      "Get-TargetValue $Target 'serviceAccountKey'",
      "Get-Module -ListAvailable -Name PSGSuite",
      "Get-Module -ListAvailable -Name Configuration",
      "Join-Path -Path $PSScriptRoot -ChildPath 'CoexistGoogle.psm1'",
      "[System.IO.Directory]::CreateTempSubdirectory('coexist-google-')",
      "$env:HOME = $script:TempHome",
      "(Get-PSProvider -PSProvider FileSystem).Home = $script:TempHome",
      "$global:PSGSuite = [pscustomobject]@{",
      "Import-Module -Name PSGSuite -MinimumVersion $PSGSuiteMinimum -Global -DisableNameChecking -Verbose:$false -ErrorAction Stop",
      "Remove-Variable -Name PSGSuite -Scope Global",
      "Import-Module -Name $helper -Global -DisableNameChecking -Verbose:$false -ErrorAction Stop",
      "$script:CommandModules = $GoogleModules",
      "$script:Connection = 'google-workspace'",
    ].map((t) => text.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The variable goes even when the import fails: Remove-Variable is in the import's finally.
    expect(text).toMatch(/try \{ Import-Module -Name PSGSuite [^}]*\} finally \{ Remove-Variable -Name PSGSuite -Scope Global/);
    // A missing module is FileNotFoundException (kind other) with the install line.
    expect(text).toContain("throw [System.IO.FileNotFoundException]::new('The PSGSuite module (3.0.0 or later) is not installed: Install-Module -Name PSGSuite -RequiredVersion 3.0.0 (needs PowerShell 7.4).')");
    expect(text).toContain("Install-Module -Name Configuration -MinimumVersion 1.3.1");
    expect(source).toContain("$PSGSuiteMinimum = [version] '3.0.0'");
    expect(source).toContain("$ConfigurationMinimum = [version] '1.3.1'");
    expect(source).toContain("$GoogleModules = @('PSGSuite', 'CoexistGoogle')");
    // Every place the modules would write goes under the temporary folder.
    for (const v of ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "LOCALAPPDATA", "APPDATA"]) {
      expect(text).toMatch(new RegExp(`\\$env:${v} = (?:\\$script:TempHome|Join-Path -Path \\$script:TempHome )`));
    }
  });

  test("PSGSuite's configuration is exactly the target's fields, in memory: never Set-PSGSuiteConfig, never a key path, never a file", () => {
    const root = parse(source);
    const fn = functionText(root, "Connect-GoogleWorkspaceTarget");
    const config = [...walk(parse(fn))].find((n) => n.type === "assignment_expression" && n.children[0]?.text === "$global:PSGSuite")!;
    const entries = [...walk(config)].filter((n) => n.type === "hash_entry").map((n) => flat(n.text));
    expect(entries).toEqual([
      "ConfigName = 'coexist'",
      "JSONServiceAccountKey = $key",
      "AdminEmail = $adminEmail",
      "Domain = $domain",
      "CustomerID = $customerId",
      "Preference = 'CustomerID'",
    ]);
    expect(flat(fn)).toContain("$customerId = 'my_customer'");
    // Nowhere in the script: the cmdlets that write PSGSuite's config to disk, a key path, a file write.
    const script = code(source);
    expect(script).not.toMatch(/Set-PSGSuiteConfig|Import-PSGSuiteConfig|KeyPath|P12Key|Export-Configuration/i);
    expect(script).not.toMatch(/\b(?:Out-File|Set-Content|Add-Content|New-Item|Export-Clixml)\b|WriteAllText|WriteAllBytes/i);
    // Verbose stays off: PSGSuite's load script would print the configuration, key included.
    expect(script).not.toMatch(/VerbosePreference\s*=\s*'(?!SilentlyContinue)/i);
    expect(script).not.toMatch(/-Verbose(?!:\$false)\b/);
  });

  test("the connect branch builds no text from the target's values: no expandable string, call operator or Invoke-Expression holds them", () => {
    const fnRoot = parse(functionText(parse(source), "Connect-GoogleWorkspaceTarget"));
    const values = /\$(?:key|adminEmail|domain|customerId|Target)\b/;
    const strings = [...walk(fnRoot)].filter((n) => n.type === "expandable_string_literal" || n.type === "expandable_here_string_literal");
    expect(strings.filter((n) => values.test(n.text)).map((n) => n.text)).toEqual([]);
    expect(fnRoot.text).not.toMatch(/(?:^|[\s(])&\s*[$'"(]/m);
    expect(scriptTextConstructs(fnRoot.text, fnRoot)).toEqual([]);
  });

  test("the User guard: a google session refuses a cmdlet that takes -User without an address, before the command runs", () => {
    const invoke = functionText(parse(source), "Invoke-Cmdlet");
    const text = flat(invoke);
    const guard = "if ($script:Role -ceq 'google' -and $command.Parameters.ContainsKey('User') -and -not $splat.ContainsKey('Filter')) {";
    expect(text).toContain(guard);
    const body = text.slice(text.indexOf(guard));
    expect(body).toMatch(/^[^}]*\$user = \$splat\['User'\] if \(\$user -isnot \[string\] -or \$user -notmatch \$UserAddressPattern\) \{ return New-ErrorResponse \$id 'invalid-parameter' 'ParameterBindingValidationException' "Cannot validate argument on parameter 'User'\./);
    // After the Identity guard (next to it), before the call.
    expect(invoke.indexOf("$splat.ContainsKey('Identity')")).toBeLessThan(invoke.indexOf(guard.slice(0, 40)));
    expect(invoke.indexOf(guard.slice(0, 40))).toBeLessThan(invoke.indexOf("& $command @splat"));
    // The pattern, read as .NET and JavaScript read it alike: an address, not '', 'me' or a bare name.
    const pattern = /^\$UserAddressPattern = '(.+)'$/m.exec(source)![1]!;
    const address = new RegExp(pattern, "i");
    expect(["alice@contoso.com", "a.b+c@sub.contoso.com"].map((u) => address.test(u))).toEqual([true, true]);
    expect(["", " ", "me", "alice", "@contoso.com", "alice@", "alice @contoso.com", "a@b@c", "alice@contoso.com\n", "alice@contoso"].map((u) => address.test(u))).toEqual(Array(10).fill(false));
  });

  test("a Google error's RequestError (code, reason, domain) is part of the text the table reads", () => {
    const text = flat(functionText(parse(source), "Get-ErrorText"));
    expect(text).toContain("$googleError = $exception.PSObject.Properties['Error']");
    expect(text).toContain("$googleError.Value.GetType().FullName -ceq 'Google.Apis.Requests.RequestError'");
    expect(text).toContain("$texts.Add($googleError.Value.ToString())");
    // Read inside a try: Get-ErrorText runs in the error handlers, which must never fail.
    expect(text).toMatch(/try \{ \$googleError = [^}]*\} \} catch \{ #[^}]*\}/);
  });

  describe("CoexistGoogle.psm1", () => {
    test("parses as PowerShell with no syntax errors, and builds no script text", () => {
      const root = parse(helper);
      expect(syntaxProblems(root)).toEqual([]);
      expect(scriptTextConstructs(helper, root)).toEqual([]);
      expect(dollarInputUses(root)).toEqual([]);
      // Nothing reads stdin or writes to the console: runner.ps1 owns both.
      expect(code(helper)).not.toMatch(/\[Console\]|ReadLine|Write-Host|Write-Output/);
    });

    test("holds one advanced function, the spec's cmdlet with the spec's parameters, and exports only it", () => {
      const root = parse(helper);
      const functions = [...walk(root)].filter((n) => n.type === "function_statement");
      expect(functions.map((f) => f.children.find((c) => c.type === "function_name")!.text)).toEqual([RemoveCoexistGmailForwardingAddress.spec.name]);
      const fn = functions[0]!.text;
      expect(fn).toMatch(/^function Remove-CoexistGmailForwardingAddress \{\s*\[CmdletBinding\(\)\]\s*param\(/);
      const params = [...fn.matchAll(/\[string\] \$(\w+)/g)].map((m) => m[1]);
      const spec = RemoveCoexistGmailForwardingAddress.spec.parameters as unknown as { shape: Record<string, unknown> };
      expect(params.sort()).toEqual(Object.keys(spec.shape).sort());
      expect([...fn.matchAll(/\[Parameter\(Mandatory = \$true\)\]/g)]).toHaveLength(2);
      expect(helper).toMatch(/^Export-ModuleMember -Function 'Remove-CoexistGmailForwardingAddress'$/m);
      expect(cmdletsByRole.google.has(RemoveCoexistGmailForwardingAddress.spec.name)).toBe(true);
    });

    test("calls forwardingAddresses.delete through PSGSuite's New-GoogleService, impersonating -User, with the values as arguments", () => {
      const text = flat(helper);
      const service = "$service = New-GoogleService -Scope 'https://www.googleapis.com/auth/gmail.settings.sharing' -ServiceType 'Google.Apis.Gmail.v1.GmailService' -User $User";
      const call = "$service.Users.Settings.ForwardingAddresses.Delete($User, $ForwardingAddress).Execute()";
      expect(text).toContain(service);
      expect(text).toContain(call);
      expect(text.indexOf(service)).toBeLessThan(text.indexOf(call));
      // No key, path or config of its own: PSGSuite's in-memory configuration is the only one.
      expect(code(helper)).not.toMatch(/Set-PSGSuiteConfig|KeyPath|P12Key|JSONServiceAccountKey|Out-File|Set-Content/i);
      // The values never go into a string.
      const strings = [...walk(parse(helper))].filter((n) => n.type === "expandable_string_literal");
      expect(strings.filter((n) => /\$(?:User|ForwardingAddress)\b/.test(n.text)).map((n) => n.text)).toEqual([]);
    });

    test("ships beside runner.ps1, in the provider package's files", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { files: string[] };
      expect(pkg.files).toEqual(expect.arrayContaining(["src/runner/runner.ps1", "src/runner/CoexistGoogle.psm1", "src/runner/errorKinds.json"]));
      expect(path.dirname(helperPath)).toBe(path.dirname(runnerPath));
    });
  });
});
