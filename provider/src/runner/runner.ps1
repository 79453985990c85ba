#Requires -Version 7.4
<#
  coexist's Exchange runner: a long-lived pwsh process that runs allow-listed Exchange cmdlets
  as DATA. Started as `pwsh -NoProfile -NonInteractive -File runner.ps1`; speaks
  newline-delimited JSON, one request per line on stdin, one response per line on stdout.
  The protocol is specified in docs/runner-protocol.md; the simulated tenant
  (provider/src/simulator/runner.ts) speaks the same one.

  Rules this file keeps:
  - A command is a cmdlet name and a hashtable of values, splatted. No script text is ever
    built from request data (no Invoke-Expression, no script blocks from strings).
  - stdout carries protocol lines only. Everything PowerShell would print goes to stderr.
  - Secrets arrive only in the connect request. They are never echoed, and are scrubbed from
    every message this runner writes.
#>

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Nobody reads this console. Progress bars and prompts would only corrupt or block the protocol.
$ProgressPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
$DebugPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'
# Warnings stay on: they are useful diagnostics, and Invoke-Main's redirection sends them to stderr.
$WarningPreference = 'Continue'

$ProtocolVersion = 1

# Our own UTF-8 reader and writer on the raw standard streams. Node writes non-ASCII in JSON
# as-is, and the console encodings on Linux depend on LANG.
$Utf8 = [System.Text.UTF8Encoding]::new($false)
$script:RequestIn = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $Utf8, $false)
$script:ProtocolOut = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $Utf8)
$script:ProtocolOut.NewLine = "`n"
# Anything that writes to the console directly (the host UI, [Console]::WriteLine in a module)
# now lands on stderr. Only Send-Message writes to stdout.
[Console]::SetOut([Console]::Error)

# Session state. Set once by the connect request.
$script:Connection = $null      # 'exchange-online', 'exchange-onprem' or 'google-workspace' once connected
$script:Role = $null            # the connect request's role: 'exchange', 'source' or 'google'
$script:RemoteSession = $null   # the on-prem PSSession, removed on exit
$script:Allow = $null           # the allow-list: a case-insensitive set of cmdlet names
$script:CommandModules = $null  # the modules whose commands a session runs; $null: any module (Exchange's proxies)
$script:TempHome = $null        # google-workspace: the folder PSGSuite's module state goes to, removed on exit
$script:Secrets = [System.Collections.Generic.List[string]]::new()

# Every cmdlet coexist drives (provider/src/exchange/cmdlets; runner.ps1.test.ts keeps the two
# lists equal), by name: Get-Mailbox, Set-Mailbox and Get-AcceptedDomain are the tenant's or the
# source's, whichever the session connected to; Get-SendConnector is the source's only; the
# *-GS* cmdlets are PSGSuite's and Remove-CoexistGmailForwardingAddress is CoexistGoogle.psm1's,
# for a Google Workspace source (role google). A connect request may narrow this list, never
# widen it, and a cmdlet off it is refused before anything else is looked at, connected or not.
$KnownCmdlets = [System.Collections.Generic.HashSet[string]]::new([string[]] @(
        'Get-AcceptedDomain', 'Set-AcceptedDomain',
        'Get-DistributionGroup', 'New-DistributionGroup', 'Set-DistributionGroup', 'Remove-DistributionGroup', 'Get-Group', 'Set-Group',
        'Get-DistributionGroupMember', 'Add-DistributionGroupMember', 'Remove-DistributionGroupMember', 'Update-DistributionGroupMember',
        'Get-Recipient',
        'Get-Mailbox', 'Set-Mailbox',
        'Get-OutboundConnector', 'New-OutboundConnector', 'Set-OutboundConnector', 'Remove-OutboundConnector',
        'Get-SendConnector',
        'Get-TransportRule', 'New-TransportRule', 'Set-TransportRule', 'Enable-TransportRule', 'Disable-TransportRule', 'Remove-TransportRule',
        'Get-GSUser', 'Get-GSDomain', 'Get-GSDomainAlias',
        'Get-GSGmailAutoForwardingSettings', 'Get-GSGmailForwardingAddress',
        'Add-GSGmailForwardingAddress', 'Update-GSGmailAutoForwardingSettings', 'Remove-CoexistGmailForwardingAddress'
    ), [System.StringComparer]::OrdinalIgnoreCase)

# The google role's cmdlets (cmdletsByRole.google in exchange/cmdlets; runner.ps1.test.ts keeps
# them equal): a Google session runs only these, an Exchange session none of them. Otherwise
# Get-Command would load PSGSuite into an Exchange session by module autoloading.
$GoogleCmdlets = [System.Collections.Generic.HashSet[string]]::new([string[]] @(
        'Get-GSUser', 'Get-GSDomain', 'Get-GSDomainAlias',
        'Get-GSGmailAutoForwardingSettings', 'Get-GSGmailForwardingAddress',
        'Add-GSGmailForwardingAddress', 'Update-GSGmailAutoForwardingSettings', 'Remove-CoexistGmailForwardingAddress'
    ), [System.StringComparer]::OrdinalIgnoreCase)

# The Google modules a google-workspace session runs commands of (design §3.2, §3.3):
# PSGSuite 3.0.0 "Increased minimum PowerShell version to 7.4" (its CHANGELOG.md) and requires the
# Configuration module 1.3.1 or later (PSGSuite.psd1 RequiredModules); CoexistGoogle.psm1 ships
# beside this script.
$PSGSuiteMinimum = [version] '3.0.0'
$ConfigurationMinimum = [version] '1.3.1'
$GoogleModules = @('PSGSuite', 'CoexistGoogle')

# A Google cmdlet's -User: an address, never absent or empty. PSGSuite defaults it to the admin's
# own mailbox, turns 'me' into the admin and a bare name into name@Domain (design §1); "a bare
# name" is anything not like *@*.* (PSGSuite 3.0.0, Private/Resolve-Email.ps1), so the domain
# needs its dot here too, or 'alice@contoso' would become alice@contoso@<Domain>. The (?!\n)
# because .NET's $ also matches before a final line break.
$UserAddressPattern = '^[^@\s]+@[^@\s]*\.[^@\s]+(?!\n)$'

# A cmdlet name is Verb-Noun and nothing else: no paths, no wildcards for Get-Command.
$CmdletNamePattern = '^[A-Za-z]+-[A-Za-z0-9]+$'
$ParameterNamePattern = '^[A-Za-z][A-Za-z0-9]*$'

# Common parameters the runner owns. -ErrorAction must stay Stop so failures are caught, and
# the *Variable parameters would let a request overwrite this script's own variables.
$ReservedParameters = @(
    'ErrorAction', 'ErrorVariable', 'WarningAction', 'WarningVariable',
    'InformationAction', 'InformationVariable', 'OutVariable', 'OutBuffer',
    'PipelineVariable', 'Verbose', 'Debug', 'ProgressAction'
)

# Remoting adds these to every object; they describe the session, not the Exchange object.
$RemotingProperties = @('PSComputerName', 'RunspaceId', 'PSShowComputerName', 'PSSourceJobInstanceId')

# Error kinds: one table, errorKinds.json beside this script, which the simulator reads too
# (provider/src/exchange/errorKinds.ts), so both runners give a text the same kind. Its rows are
# checked in order against the reason and the messages; the first match wins, so "couldn't be
# found" inside a parameter-binding error is still not-found. Each row names where its text was
# seen. Read once at start: a missing or broken table stops the runner before its hello line.
$ErrorKindsPath = Join-Path -Path $PSScriptRoot -ChildPath 'errorKinds.json'
$ErrorKinds = [System.Collections.Generic.List[object]]::new()
foreach ($row in (Get-Content -LiteralPath $ErrorKindsPath -Raw -Encoding utf8 | ConvertFrom-Json).rows) {
    # -match is case-insensitive; the table's patterns are the subset .NET and JavaScript read alike.
    $ErrorKinds.Add([pscustomobject]@{
            Kind    = [string] $row.kind
            Pattern = [regex]::new([string] $row.pattern, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)
        })
}

# ConvertFrom-Json turns date-like strings into DateTime unless told not to (-DateKind, pwsh 7.5+).
# A comment that looks like a date must reach Exchange as the same string.
$JsonReadOptions = @{}
if ((Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')) {
    $JsonReadOptions['DateKind'] = 'String'
}

# ---------------------------------------------------------------------------------------------
# Output

function Send-Message {
    param([System.Collections.IDictionary] $Message)
    $line = ConvertTo-Json -InputObject $Message -Compress -Depth 8
    $script:ProtocolOut.WriteLine($line)
    # The pool waits for this line; a buffered answer is no answer.
    $script:ProtocolOut.Flush()
}

# Replaces every secret from the connect request, wherever a message might quote it.
function Protect-Text {
    param([string] $Text)
    foreach ($secret in $script:Secrets) {
        $Text = $Text.Replace($secret, '***')
    }
    return $Text
}

function ConvertTo-SingleLine {
    param([string] $Text)
    return ($Text -replace '\s*[\r\n]+\s*', ' ').Trim()
}

function New-ErrorResponse {
    param($Id, [string] $Kind, [string] $Reason, [string] $Message)
    $errorPayload = [ordered]@{
        kind    = $Kind
        reason  = $Reason
        # Scrubbed before and after the line breaks collapse: a private key holds line breaks.
        message = Protect-Text (ConvertTo-SingleLine (Protect-Text $Message))
    }
    return [ordered]@{ id = $Id; ok = $false; error = $errorPayload }
}

# One line on stderr per stream record, so warnings and stray output stay readable in the
# pool's debug log without ever touching stdout.
function Write-Diagnostic {
    param($Record)
    if ($Record -is [System.Management.Automation.ErrorRecord]) {
        $text = "error: $($Record.Exception.Message)"
    }
    elseif ($Record -is [System.Management.Automation.WarningRecord]) {
        $text = "warning: $($Record.Message)"
    }
    else {
        $text = ($Record | Out-String).Trim()
    }
    if ($text) {
        try {
            [Console]::Error.WriteLine((Protect-Text (ConvertTo-SingleLine (Protect-Text $text))))
        }
        catch [System.IO.IOException] {
            # Nobody reads stderr any more (the pool's process died). A lost diagnostic must
            # never stop the runner: on its way out it still has to disconnect.
        }
    }
}

# ---------------------------------------------------------------------------------------------
# Errors

# All the text an error carries: its messages down the exception chain and its error ID, where
# Remote PowerShell puts the type ("[FailureCategory=Cmdlet-ManagementObjectNotFoundException]").
function Get-ErrorText {
    param([System.Management.Automation.ErrorRecord] $Record)
    $texts = [System.Collections.Generic.List[string]]::new()
    $exception = $Record.Exception
    while ($null -ne $exception) {
        $texts.Add($exception.Message)
        # The Google client's GoogleApiException keeps its RequestError ("<message> [<code>]
        # Errors [ ... Reason[<reason>] ... ]") in .Error; newer clients leave it out of the message.
        try {
            $googleError = $exception.PSObject.Properties['Error']
            if ($null -ne $googleError -and $null -ne $googleError.Value -and $googleError.Value.GetType().FullName -ceq 'Google.Apis.Requests.RequestError') {
                $texts.Add($googleError.Value.ToString())
            }
        }
        catch {
            # Another exception's getter that throws: it has nothing for us, and this runs inside
            # error handlers, which must not fail.
        }
        $exception = $exception.InnerException
    }
    if ($Record.FullyQualifiedErrorId) {
        $texts.Add($Record.FullyQualifiedErrorId)
    }
    return $texts -join "`n"
}

# Exchange's exception type: named inside the text when Exchange put it there (EXO V3:
# "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|..."),
# else CategoryInfo.Reason, else the .NET exception's own type.
function Get-ErrorReason {
    param([System.Management.Automation.ErrorRecord] $Record, [string] $Text)
    if ($Text -match '\|(?:\w+\.)*(?<type>\w+Exception)\|') {
        return $Matches['type']
    }
    if ($Text -match 'FailureCategory=Cmdlet-(?<type>\w+)') {
        return $Matches['type']
    }
    $thrown = Get-ThrownException $Record
    if (-not [object]::ReferenceEquals($thrown, $Record.Exception)) {
        return $thrown.GetType().Name   # the wrapped exception's type (GoogleApiException), not MethodInvocationException
    }
    if ($Record.CategoryInfo.Reason) {
        return $Record.CategoryInfo.Reason
    }
    return $Record.Exception.GetType().Name
}

function Get-ErrorKind {
    param([string] $Text)
    foreach ($row in $ErrorKinds) {
        if ($row.Pattern.IsMatch($Text)) {
            return $row.Kind
        }
    }
    return 'other'
}

function New-FailureResponse {
    param($Id, [System.Management.Automation.ErrorRecord] $Record)
    $text = Get-ErrorText $Record
    $reason = Get-ErrorReason $Record $text
    $kind = Get-ErrorKind "$reason`n$text"
    return New-ErrorResponse $Id $kind $reason (Get-ErrorMessage $Record)
}

# The exception a .NET method threw, not PowerShell's wrapper around the call: PSGSuite's cmdlets
# call the Google client's Execute() and rethrow the record, whose exception is then
# 'Exception calling "Execute" with "0" argument(s): ...' (a MethodInvocationException) around the
# client's GoogleApiException (seen in real pwsh 7.6 with the PSGSuite test double, test/doubles).
function Get-ThrownException {
    param([System.Management.Automation.ErrorRecord] $Record)
    $exception = $Record.Exception
    while ($exception -is [System.Management.Automation.MethodInvocationException] -and $null -ne $exception.InnerException) {
        $exception = $exception.InnerException
    }
    return $exception
}

# The message to answer with: the thrown exception's; for a Google API error its RequestError
# ("<message> [<code>] Errors [ ... Reason[<reason>] ... ]"), which says more than the client's
# "The service gmail has thrown an exception. HttpStatusCode is NotFound." and is what the
# simulator answers.
function Get-ErrorMessage {
    param([System.Management.Automation.ErrorRecord] $Record)
    $exception = Get-ThrownException $Record
    try {
        $googleError = $exception.PSObject.Properties['Error']
        if ($null -ne $googleError -and $null -ne $googleError.Value -and $googleError.Value.GetType().FullName -ceq 'Google.Apis.Requests.RequestError') {
            return $googleError.Value.ToString()
        }
    }
    catch {
        # A getter that throws: the exception's own message below.
    }
    # EXO V3 puts Exchange's exception type before the text ("Ex6F9304|Microsoft.Exchange.
    # Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't ...", reference
    # §0); the type is the answer's reason already, and the consultant reads the text.
    return ($exception.Message -replace '^Ex[0-9A-Fa-f]+\|(?:\w+\.)*\w+Exception\|', '')
}

# ---------------------------------------------------------------------------------------------
# Requests

# Why a parsed request does not fit the protocol, or $null when it does.
function Get-RequestProblem {
    param($Request)
    if ($Request -isnot [System.Collections.IDictionary]) {
        return 'a request is a JSON object'
    }
    if (-not (Test-Integer $Request['id'])) {
        return 'id must be an integer'
    }
    $type = $Request['type']
    if ($type -ceq 'connect') {
        $role = $Request['role']
        if (-not (@('exchange', 'source', 'google') -ccontains $role)) {
            return 'role must be "exchange", "source" or "google"'
        }
        if ($Request['target'] -isnot [System.Collections.IDictionary]) {
            return 'target must be an object'
        }
        # A Google Workspace target is the google role's, and the google role's only target
        # (design §3.3; the simulator runner also takes a simulated one, which runner.ps1 never serves).
        if (($role -ceq 'google') -ne ($Request['target']['kind'] -ceq 'google-workspace')) {
            return 'a google-workspace target connects with role "google", and role "google" needs one'
        }
        $allow = $Request['allow']
        if ($allow -isnot [System.Collections.IList] -or $allow.Count -eq 0) {
            return 'allow must name at least one cmdlet'
        }
        foreach ($name in $allow) {
            if ($name -isnot [string] -or $name -notmatch $CmdletNamePattern) {
                return 'allow must hold cmdlet names (Verb-Noun)'
            }
            if (-not $KnownCmdlets.Contains($name)) {
                return "allow names $name, which this runner never runs"
            }
            if (($role -ceq 'google') -ne $GoogleCmdlets.Contains($name)) {
                return "allow names $name, which the $role role never runs"
            }
        }
        return $null
    }
    if ($type -ceq 'probe') {
        return $null
    }
    if ($type -ceq 'invoke') {
        if ($Request['cmdlet'] -isnot [string]) {
            return 'cmdlet must be a string'
        }
        if ($Request['parameters'] -isnot [System.Collections.IDictionary]) {
            return 'parameters must be an object'
        }
        return $null
    }
    return 'type must be "connect", "invoke" or "probe"'
}

function Test-Integer {
    param($Value)
    return ($Value -is [long] -or $Value -is [int])
}

function Invoke-Request {
    param([string] $Line)
    $request = $null
    try {
        $request = ConvertFrom-Json -InputObject $Line -AsHashtable -Depth 32 @JsonReadOptions
    }
    catch {
        # The parser's message may quote the line, and a connect line holds secrets.
        return New-ErrorResponse $null 'invalid-parameter' 'ProtocolException' 'Malformed request: not valid JSON.'
    }
    $id = $null
    if ($request -is [System.Collections.IDictionary] -and (Test-Integer $request['id'])) {
        $id = $request['id']
    }
    $problem = Get-RequestProblem $request
    if ($problem) {
        return New-ErrorResponse $id 'invalid-parameter' 'ProtocolException' "Malformed request: $problem."
    }
    try {
        if ($request['type'] -ceq 'connect') {
            return Invoke-Connect $request
        }
        if ($request['type'] -ceq 'probe') {
            return Invoke-Probe $request
        }
        return Invoke-Cmdlet $request
    }
    catch {
        # Anything the handlers did not expect still gets an answer, so the pool never waits.
        return New-FailureResponse $id $_
    }
}

# ---------------------------------------------------------------------------------------------
# connect

# A string from the target, or an error naming the missing field (never its value).
function Get-TargetValue {
    param([System.Collections.IDictionary] $Target, [string] $Name, [switch] $Optional)
    $value = $Target[$Name]
    if ($value -is [string] -and $value.Length -gt 0) {
        return $value
    }
    if ($Optional -and ($null -eq $value -or ($value -is [string] -and $value.Length -eq 0))) {
        return $null
    }
    throw "target.$Name must be a non-empty string."
}

# A Google service account key's private_key and private_key_id, and each as the key file writes it
# (JSON-escaped: "\n" for a line break), or nothing when the key is not JSON. The parser's
# message is never used: it quotes the key.
function Get-KeySecrets {
    param($Key)
    if ($Key -isnot [string] -or $Key.Length -eq 0) {
        return
    }
    try {
        $parsed = ConvertFrom-Json -InputObject $Key -AsHashtable -Depth 8
    }
    catch {
        return   # the connect names the field instead (target.serviceAccountKey ...)
    }
    if ($parsed -isnot [System.Collections.IDictionary]) {
        return
    }
    foreach ($field in @('private_key', 'private_key_id')) {
        $value = $parsed[$field]
        if ($value -is [string] -and $value.Length -gt 0) {
            $value
            $escaped = ConvertTo-Json -InputObject $value -Compress
            $escaped.Substring(1, $escaped.Length - 2)
        }
    }
}

function Invoke-Connect {
    param([System.Collections.IDictionary] $Request)
    $id = $Request['id']
    if ($script:Connection) {
        # One runner, one connection: a second Connect-ExchangeOnline or PSSession would leak.
        return New-ErrorResponse $id 'invalid-parameter' 'ProtocolException' 'Malformed request: this runner is already connected; start another runner for another connection.'
    }
    $target = $Request['target']
    $allow = [string[]] @($Request['allow'])
    # Registered before anything can fail, so no error message can carry them.
    foreach ($field in @('password', 'certificatePassword', 'certificateBase64', 'serviceAccountKey')) {
        $value = $target[$field]
        if ($value -is [string] -and $value.Length -gt 0) {
            $script:Secrets.Add($value)
        }
    }
    # A Google key's private_key and private_key_id as well: a message could quote one without
    # the rest of the key (design §3.1; secretsOf in exchange/targets.ts returns the same).
    foreach ($value in @(Get-KeySecrets $target['serviceAccountKey'])) {
        $script:Secrets.Add($value)
    }
    try {
        $kind = $target['kind']
        if ($kind -ceq 'exchange-online') {
            Connect-ExchangeOnlineTarget $target $allow
        }
        elseif ($kind -ceq 'exchange-onprem') {
            Connect-OnPremisesTarget $target $allow
        }
        elseif ($kind -ceq 'google-workspace') {
            Connect-GoogleWorkspaceTarget $target $allow
        }
        else {
            throw 'target.kind must be "exchange-online", "exchange-onprem" or "google-workspace".'
        }
    }
    catch {
        # A failed connect is "auth" unless Exchange said it is busy (sessions are a quota).
        $text = Get-ErrorText $_
        $reason = Get-ErrorReason $_ $text
        $kind = 'auth'
        if ((Get-ErrorKind "$reason`n$text") -eq 'throttled') {
            $kind = 'throttled'
        }
        elseif ($_.Exception -is [System.IO.FileNotFoundException]) {
            # A missing module or certificate file: no retry can help, and it is not a logon failure.
            $kind = 'other'
        }
        elseif ($_.Exception -is [System.ArgumentException]) {
            $kind = 'invalid-parameter'
        }
        return New-ErrorResponse $id $kind $reason $_.Exception.Message
    }
    $script:Allow = [System.Collections.Generic.HashSet[string]]::new($allow, [System.StringComparer]::OrdinalIgnoreCase)
    $script:Role = $Request['role']
    # The answer names the allow-listed cmdlets the session loaded. Exchange loads only what the
    # account's role grants, so a missing name is a missing permission (npm run preflight).
    # (PSGSuite loads every cmdlet: a Google permission shows on the first call, not here.)
    $loaded = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $allow) {
        $command = Find-SessionCommand $name
        if ($null -ne $command) {
            $loaded.Add([ordered]@{ Name = $command.Name })
        }
    }
    $response = [ordered]@{ id = $id; ok = $true }
    $response['output'] = [object[]] $loaded.ToArray()
    return $response
}

# What this machine has, for preflight: no connection, no request data used. The modules are
# the ones a connect needs: ExchangeOnlineManagement for Exchange Online, PSWSMan for Remote
# PowerShell from Linux or macOS (WSMan is not built into PowerShell there), PSGSuite and the
# Configuration module it requires for Google Workspace.
function Invoke-Probe {
    param([System.Collections.IDictionary] $Request)
    $modules = [ordered]@{}
    foreach ($name in @('ExchangeOnlineManagement', 'PSWSMan', 'PSGSuite', 'Configuration')) {
        $found = @(Get-Module -ListAvailable -Name $name -ErrorAction SilentlyContinue | Sort-Object -Property Version -Descending)
        $modules[$name] = $null
        if ($found.Count -gt 0) {
            $modules[$name] = $found[0].Version.ToString()
        }
    }
    $platform = 'Win32NT'
    if ($PSVersionTable.ContainsKey('Platform') -and $PSVersionTable['Platform']) {
        $platform = [string] $PSVersionTable['Platform']
    }
    $machine = [ordered]@{
        runner     = 'pwsh'
        powershell = $PSVersionTable.PSVersion.ToString()
        platform   = $platform
        modules    = $modules
    }
    $response = [ordered]@{ id = $Request['id']; ok = $true }
    $response['output'] = [object[]] @($machine)
    return $response
}

# Exchange Online, app-only with a certificate (the thumbprint form is Windows-only).
function Connect-ExchangeOnlineTarget {
    param([System.Collections.IDictionary] $Target, [string[]] $Allow)
    $connect = @{
        AppId                 = Get-TargetValue $Target 'appId'
        Organization          = Get-TargetValue $Target 'organization'
        # Loads only the allow-listed cmdlets: the first of the two allow-list gates.
        CommandName           = $Allow
        ShowBanner            = $false
        SkipLoadingFormatData = $true
        ErrorAction           = 'Stop'
    }
    $password = Get-TargetValue $Target 'certificatePassword' -Optional
    $securePassword = $null
    if ($password) {
        $securePassword = ConvertTo-SecureString -String $password -AsPlainText -Force
    }
    $certificateBase64 = Get-TargetValue $Target 'certificateBase64' -Optional
    if ($certificateBase64) {
        $bytes = [System.Convert]::FromBase64String($certificateBase64)
        if ($securePassword) {
            $connect['Certificate'] = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($bytes, $securePassword)
        }
        else {
            $connect['Certificate'] = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($bytes)
        }
    }
    else {
        $connect['CertificateFilePath'] = Get-TargetValue $Target 'certificateFilePath'
        if ($securePassword) {
            $connect['CertificatePassword'] = $securePassword
        }
    }
    if (-not (Get-Module -ListAvailable -Name ExchangeOnlineManagement)) {
        throw [System.IO.FileNotFoundException]::new('The ExchangeOnlineManagement module is not installed: Install-Module -Name ExchangeOnlineManagement (3.10 or later needs PowerShell 7.6).')
    }
    Import-Module -Name ExchangeOnlineManagement -ErrorAction Stop
    Connect-ExchangeOnline @connect | Out-Null
    $script:Connection = 'exchange-online'
}

# On-premises Exchange over Remote PowerShell (on Linux this needs PSWSMan; see the protocol doc).
function Connect-OnPremisesTarget {
    param([System.Collections.IDictionary] $Target, [string[]] $Allow)
    $uri = Get-TargetValue $Target 'connectionUri'
    $username = Get-TargetValue $Target 'username'
    $password = Get-TargetValue $Target 'password'
    $authentication = Get-TargetValue $Target 'authentication' -Optional
    if (-not $authentication) {
        $authentication = 'Kerberos'
    }
    # Basic sends the password in the clear: only over HTTPS (New-PSSession -Authentication;
    # the provider's config schema refuses it too).
    if ($authentication -eq 'Basic' -and -not $uri.StartsWith('https://', [System.StringComparison]::OrdinalIgnoreCase)) {
        throw [System.ArgumentException]::new('Basic authentication is allowed only over https: use an https:// connectionUri, or Kerberos or Negotiate.')
    }
    # WSMan remoting is built into PowerShell only on Windows; elsewhere it needs the community
    # PSWSMan module (exchange-online-powershell-v2.md, Linux and macOS prerequisites). Its two
    # major versions are enabled differently: 2.x replaced PowerShell's WSMan library once, as
    # root (Install-WSMan), while 3.x removed Install-WSMan and hooks the engine in each process:
    # Enable-PSWSMan "is global to the process and is not reversible" (jborean93/PSWSMan,
    # Enable-PSWSMan.md), so this runner calls it before its New-PSSession.
    if (-not $IsWindows) {
        $pswsman = @(Get-Module -ListAvailable -Name PSWSMan -ErrorAction SilentlyContinue | Sort-Object -Property Version -Descending)
        if ($pswsman.Count -eq 0) {
            throw [System.IO.FileNotFoundException]::new('Remote PowerShell from Linux or macOS needs the PSWSMan module: Install-PSResource -Name PSWSMan (3.x; coexist enables it in its own process), or as root Install-Module -Name PSWSMan -RequiredVersion 2.3.1; Install-WSMan.')
        }
        if ($pswsman[0].Version.Major -ge 3) {
            Import-Module -Name $pswsman[0].Path -Global -DisableNameChecking -ErrorAction Stop
            Enable-PSWSMan -Force -ErrorAction Stop
        }
    }
    $credential = [System.Management.Automation.PSCredential]::new(
        $username, (ConvertTo-SecureString -String $password -AsPlainText -Force))
    $session = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri $uri `
        -Authentication $authentication -Credential $credential -ErrorAction Stop
    try {
        # Imports only the allow-listed cmdlets: the first of the two allow-list gates.
        $module = Import-PSSession -Session $session -DisableNameChecking -CommandName $Allow -AllowClobber -ErrorAction Stop
        # Import-PSSession inside a function imports into that function's scope; make the
        # proxy functions visible to Invoke-Cmdlet too.
        Import-Module -ModuleInfo $module -Global -DisableNameChecking -ErrorAction Stop | Out-Null
    }
    catch {
        # Leaked sessions count against the account's small quota until they time out.
        Remove-PSSession -Session $session -ErrorAction SilentlyContinue
        throw
    }
    $script:RemoteSession = $session
    $script:Connection = 'exchange-onprem'
}

# Google Workspace through PSGSuite: a service account with domain-wide delegation, impersonating
# the user each cmdlet names (docs/design/sources-google-and-vendor.md §1, §3.2). The key stays in
# memory: it is never written to a file, and no key path is ever given.
function Connect-GoogleWorkspaceTarget {
    param([System.Collections.IDictionary] $Target, [string[]] $Allow)
    $adminEmail = Get-TargetValue $Target 'adminEmail'
    $domain = Get-TargetValue $Target 'domain'
    $customerId = Get-TargetValue $Target 'customerId' -Optional
    if (-not $customerId) {
        $customerId = 'my_customer'   # the admin's own customer (design §3.2)
    }
    $key = Get-TargetValue $Target 'serviceAccountKey'
    $psgsuite = @(Get-Module -ListAvailable -Name PSGSuite -ErrorAction SilentlyContinue | Where-Object { $_.Version -ge $PSGSuiteMinimum })
    if ($psgsuite.Count -eq 0) {
        throw [System.IO.FileNotFoundException]::new('The PSGSuite module (3.0.0 or later) is not installed: Install-Module -Name PSGSuite -RequiredVersion 3.0.0 (needs PowerShell 7.4).')
    }
    $configuration = @(Get-Module -ListAvailable -Name Configuration -ErrorAction SilentlyContinue | Where-Object { $_.Version -ge $ConfigurationMinimum })
    if ($configuration.Count -eq 0) {
        throw [System.IO.FileNotFoundException]::new('PSGSuite needs the Configuration module 1.3.1 or later, which is not installed: Install-Module -Name Configuration -MinimumVersion 1.3.1.')
    }
    $helper = Join-Path -Path $PSScriptRoot -ChildPath 'CoexistGoogle.psm1'
    if (-not (Test-Path -LiteralPath $helper -PathType Leaf)) {
        throw [System.IO.FileNotFoundException]::new('CoexistGoogle.psm1 is missing beside runner.ps1: reinstall @coexist/provider.')
    }

    # PSGSuite's import creates ~/.scrthq, and the Configuration module keeps its files under the
    # user's data folders: all of it goes into a folder of this runner's own, removed on exit
    # (design §3.2). That both modules read these at call time, not at pwsh start-up, is
    # unverified (design §8.4). After a SIGKILL the folder stays; it never holds the key.
    if ($null -eq $script:TempHome) {
        $script:TempHome = [System.IO.Directory]::CreateTempSubdirectory('coexist-google-').FullName
    }
    $env:HOME = $script:TempHome
    $env:XDG_CONFIG_HOME = Join-Path -Path $script:TempHome -ChildPath '.config'
    $env:XDG_DATA_HOME = Join-Path -Path $script:TempHome -ChildPath '.local' -AdditionalChildPath 'share'
    if ($IsWindows) {
        $env:LOCALAPPDATA = Join-Path -Path $script:TempHome -ChildPath 'AppData' -AdditionalChildPath 'Local'
        $env:APPDATA = Join-Path -Path $script:TempHome -ChildPath 'AppData' -AdditionalChildPath 'Roaming'
    }
    (Get-PSProvider -PSProvider FileSystem).Home = $script:TempHome

    # The configuration in memory: PSGSuite's load script uses a $global:PSGSuite it finds and
    # reads no config file (its psake.ps1, which generates the psm1). Never Set-PSGSuiteConfig,
    # which always writes to disk, and never a key path, with which New-GoogleService calls it.
    # The module keeps its own copy; the global goes at once. -Verbose:$false because that load
    # script's Write-Verbose prints the configuration, key included (design §1).
    $global:PSGSuite = [pscustomobject]@{
        ConfigName            = 'coexist'
        JSONServiceAccountKey = $key
        AdminEmail            = $adminEmail
        Domain                = $domain
        CustomerID            = $customerId
        Preference            = 'CustomerID'
    }
    try {
        Import-Module -Name PSGSuite -MinimumVersion $PSGSuiteMinimum -Global -DisableNameChecking -Verbose:$false -ErrorAction Stop
    }
    finally {
        Remove-Variable -Name PSGSuite -Scope Global -ErrorAction SilentlyContinue
    }
    # coexist's one helper (Remove-CoexistGmailForwardingAddress), a static file beside this script.
    Import-Module -Name $helper -Global -DisableNameChecking -Verbose:$false -ErrorAction Stop
    # Only these two modules' commands run in this session (Find-SessionCommand). PSGSuite
    # signs in lazily, per cmdlet: a bad key or a missing delegation shows on the first invoke.
    $script:CommandModules = $GoogleModules
    $script:Connection = 'google-workspace'
}

# On end of input: give the connection back. Failures here only go to stderr.
function Disconnect-Target {
    if ($script:Connection -eq 'exchange-online') {
        try {
            Disconnect-ExchangeOnline -Confirm:$false -ErrorAction Stop
        }
        catch {
            Write-Warning "Disconnect-ExchangeOnline failed: $($_.Exception.Message)"
        }
    }
    if ($null -ne $script:RemoteSession) {
        try {
            Remove-PSSession -Session $script:RemoteSession -ErrorAction Stop
        }
        catch {
            Write-Warning "Remove-PSSession failed: $($_.Exception.Message)"
        }
    }
    # Google: the modules (and the key PSGSuite holds in memory), then the temporary home folder,
    # each on its own. The folder is removed even after a failed connect that made it.
    $googleLoaded = @(Get-Module -Name $GoogleModules)
    if ($googleLoaded.Count -gt 0) {
        try {
            Remove-Module -ModuleInfo $googleLoaded -Force -ErrorAction Stop
        }
        catch {
            Write-Warning "Remove-Module failed: $($_.Exception.Message)"
        }
    }
    if ($null -ne $script:TempHome) {
        try {
            Remove-Item -LiteralPath $script:TempHome -Recurse -Force -ErrorAction Stop
        }
        catch {
            Write-Warning "Removing the temporary home folder failed: $($_.Exception.Message)"
        }
    }
    $script:Connection = $null
    $script:RemoteSession = $null
    $script:TempHome = $null
}

# ---------------------------------------------------------------------------------------------
# invoke

# The session's command of that name: a module's (the session's proxies, PSGSuite's), never one of
# this script's own functions; for a Google session, only PSGSuite's or CoexistGoogle's.
function Find-SessionCommand {
    param([string] $Name)
    $modules = $script:CommandModules
    return Get-Command -Name $Name -CommandType 'Cmdlet', 'Function' -ErrorAction SilentlyContinue |
        Where-Object { $_.ModuleName -and ($null -eq $modules -or $modules -contains $_.ModuleName) } |
        Select-Object -First 1
}

# Why these parameters cannot be splatted onto the command, or $null when they can. Names must
# be the command's own, spelled out: no aliases or prefixes, which could reach the reserved ones.
function Get-ParameterProblem {
    param([System.Management.Automation.CommandInfo] $Command, [System.Collections.IDictionary] $Parameters)
    $known = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $Command.Parameters.Keys) {
        $null = $known.Add($name)
    }
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $Parameters.Keys) {
        if ($name -notmatch $ParameterNamePattern -or -not $known.Contains($name)) {
            return "A parameter cannot be found that matches parameter name '$name'."
        }
        if ($ReservedParameters -contains $name) {
            return "The parameter '$name' is set by the runner and cannot be given."
        }
        if (-not $seen.Add($name)) {
            return "The parameter '$name' is given more than once."
        }
    }
    return $null
}

function Invoke-Cmdlet {
    param([System.Collections.IDictionary] $Request)
    $id = $Request['id']
    $name = $Request['cmdlet']
    # The runner's own gate, first of all: a cmdlet coexist does not drive never runs here.
    if ($name -notmatch $CmdletNamePattern -or -not $KnownCmdlets.Contains($name)) {
        return New-ErrorResponse $id 'invalid-parameter' 'CommandNotFoundException' "The term '$name' is not recognized as a name of a cmdlet allowed for this session."
    }
    if (-not $script:Connection) {
        return New-ErrorResponse $id 'auth' 'AuthenticationException' 'There is no connection. Send a connect request first.'
    }
    # The session's narrower list, whatever the session happens to load.
    if (-not $script:Allow.Contains($name)) {
        return New-ErrorResponse $id 'invalid-parameter' 'CommandNotFoundException' "The term '$name' is not recognized as a name of a cmdlet allowed for this session."
    }
    $command = Find-SessionCommand $name
    if ($null -eq $command) {
        return New-ErrorResponse $id 'invalid-parameter' 'CommandNotFoundException' "The term '$name' is allowed but the session did not load it."
    }
    $parameters = $Request['parameters']
    $problem = Get-ParameterProblem $command $parameters
    if ($problem) {
        return New-ErrorResponse $id 'invalid-parameter' 'ParameterBindingException' $problem
    }

    # Values stay values: ConvertFrom-Json -AsHashtable already made JSON objects hashtables
    # (@{Add=...; Remove=...}), arrays arrays, null $null and booleans bools ("Confirm": false
    # is -Confirm:$false, "Enabled": false is -Enabled:$false, a switch bound as false). They are
    # splatted, never written into script text.
    $splat = @{}
    foreach ($key in $parameters.Keys) {
        $splat[$key] = $parameters[$key]
    }
    # Get-* with an empty -Identity returns every object; never let that pass for a lookup.
    if ($splat.ContainsKey('Identity') -and [string]::IsNullOrWhiteSpace([string] $splat['Identity'])) {
        return New-ErrorResponse $id 'invalid-parameter' 'ParameterBindingValidationException' "Cannot validate argument on parameter 'Identity'. The argument is null or empty."
    }
    # Google: a defaulted -User acts on the admin's own mailbox (design §3.2), so a cmdlet that
    # takes -User must name a user by address; Get-GSUser -Filter * (the list) names none.
    if ($script:Role -ceq 'google' -and $command.Parameters.ContainsKey('User') -and -not $splat.ContainsKey('Filter')) {
        $user = $splat['User']
        if ($user -isnot [string] -or $user -notmatch $UserAddressPattern) {
            return New-ErrorResponse $id 'invalid-parameter' 'ParameterBindingValidationException' "Cannot validate argument on parameter 'User'. The argument must be a user's email address."
        }
    }
    $splat['ErrorAction'] = 'Stop'

    try {
        $results = @(& $command @splat)
    }
    catch {
        return New-FailureResponse $id $_
    }

    $output = [System.Collections.Generic.List[object]]::new()
    foreach ($result in $results) {
        if ($null -ne $result) {
            $output.Add((ConvertTo-PlainObject $result))
        }
    }
    $response = [ordered]@{ id = $id; ok = $true }
    # Assigned by index so that zero or one object still serialises as an array.
    $response['output'] = [object[]] $output.ToArray()
    return $response
}

# ---------------------------------------------------------------------------------------------
# Output objects

# One result object as plain properties. Exchange objects (REST or deserialised from Remote
# PowerShell) carry identity types, enums and ProxyAddress collections that ConvertTo-Json
# would expand into their internals; the caller wants the strings Exchange prints.
function ConvertTo-PlainObject {
    param($Object)
    $base = $Object.PSObject.BaseObject
    if ($base -is [System.Collections.IDictionary]) {
        return ConvertTo-PlainValue $Object 4
    }
    if (Test-Scalar $base) {
        return [ordered]@{ Value = (ConvertTo-PlainValue $Object 0) }
    }
    $plain = [ordered]@{}
    foreach ($property in $Object.PSObject.Properties) {
        if ($RemotingProperties -contains $property.Name -or -not $property.IsGettable) {
            continue
        }
        try {
            $value = $property.Value
        }
        catch {
            continue   # a getter that throws has nothing for us
        }
        $plain[$property.Name] = ConvertTo-PlainValue $value 4
    }
    return $plain
}

function Test-Scalar {
    param($Value)
    return ($Value -is [string] -or $Value -is [bool] -or $Value -is [char] -or $Value -is [enum] -or
        $Value -is [decimal] -or $Value -is [datetime] -or $Value -is [datetimeoffset] -or
        ($Value -is [System.ValueType] -and $Value.GetType().IsPrimitive))
}

# A property value as JSON-ready data: strings, numbers, bools, null; multi-valued properties
# as arrays of strings; anything else as its ToString(), which is what Exchange prints.
function ConvertTo-PlainValue {
    param($Value, [int] $Depth)
    if ($null -eq $Value) {
        return $null
    }
    $base = $Value.PSObject.BaseObject
    if ($base -is [string] -or $base -is [bool]) {
        return $base
    }
    if ($base -is [char] -or $base -is [enum]) {
        return $base.ToString()
    }
    if ($base -is [datetime]) {
        return $base.ToUniversalTime().ToString('o')
    }
    if ($base -is [datetimeoffset]) {
        return $base.ToString('o')
    }
    if ($base -is [double] -or $base -is [single]) {
        if ([double]::IsNaN($base) -or [double]::IsInfinity($base)) {
            return $base.ToString()   # JSON has no NaN
        }
        return $base
    }
    if ($base -is [decimal] -or ($base -is [System.ValueType] -and $base.GetType().IsPrimitive)) {
        return $base
    }
    if ($base -is [System.Collections.IDictionary] -and $Depth -gt 0) {
        $plain = [ordered]@{}
        foreach ($key in $base.Keys) {
            $plain[[string] $key] = ConvertTo-PlainValue $base[$key] ($Depth - 1)
        }
        return $plain
    }
    if ($base -is [System.Collections.IEnumerable] -and $base -isnot [System.Collections.IDictionary]) {
        $strings = [System.Collections.Generic.List[string]]::new()
        foreach ($item in $base) {
            if ($null -ne $item) {
                $strings.Add($item.ToString())
            }
        }
        # The comma keeps PowerShell from unrolling the array (an empty one would become $null).
        return , $strings.ToArray()
    }
    # Identity objects, ProxyAddress, deserialised types: $Value keeps the remoting ToString.
    return $Value.ToString()
}

# ---------------------------------------------------------------------------------------------
# Main loop

function Invoke-Main {
    Send-Message ([ordered]@{ type = 'hello'; runner = 'pwsh'; protocol = $ProtocolVersion })
    try {
        # One request at a time; ReadLine returns $null at end of input.
        while ($null -ne ($line = $script:RequestIn.ReadLine())) {
            if ([string]::IsNullOrWhiteSpace($line)) {
                continue
            }
            $emitted = @(Invoke-Request $line)
            # The response is the last object. Anything before it is stray output (a .NET call's
            # return value, say): it goes down the pipeline to stderr, never to stdout.
            $emitted | Select-Object -SkipLast 1
            Send-Message $emitted[-1]
        }
    }
    finally {
        Disconnect-Target
    }
}

# Every stream of the runner (errors, warnings, verbose, host output, stray objects) is merged
# and written to stderr. stdout gets only what Send-Message writes.
Invoke-Main *>&1 | ForEach-Object { Write-Diagnostic $_ }
exit 0
