#Requires -Version 7.4
<#
  The test doubles' one way to the simulated tenant and source. The doubles of
  ExchangeOnlineManagement, PSWSMan (the Remote PowerShell session) and PSGSuite define the real
  modules' cmdlets with their documented parameters; every call that binds is sent here as data
  ({cmdlet, parameters}) to coexist's own simulator runner (provider/dist/simulator/runner.js), a
  child process of this pwsh that speaks the runner protocol (docs/runner-protocol.md). So the
  world that runner.ps1 changes is the same simulated world the JavaScript runner changes, and
  the same tests read it.

  Set by the launch (provider/src/runner/launch.ts, COEXIST_SIMULATOR_RUNNER=pwsh):
  - COEXIST_DOUBLES_NODE       the node executable
  - COEXIST_DOUBLES_SIMULATOR  provider/dist/simulator/runner.js
  - COEXIST_DOUBLES_TARGET     the simulator target as JSON, without its secrets: those reach the
                               doubles only as the real modules get them (Connect-ExchangeOnline
                               -CertificatePassword, New-PSSession -Credential), and go on to the
                               simulator in its connect request, on its stdin.
#>

Set-StrictMode -Version Latest

$script:Child = $null     # the simulator runner process
$script:Role = $null      # the role it connected as
$script:Loaded = $null    # the cmdlet names its connect answered with
$script:NextId = 1
$Utf8 = [System.Text.UTF8Encoding]::new($false)

function Get-BridgeSetting {
    param([string] $Name)
    $value = [Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($value)) {
        throw [System.InvalidOperationException]::new("The test doubles need $Name (set by launch.ts when COEXIST_SIMULATOR_RUNNER=pwsh).")
    }
    return $value
}

# One request line out, its answer in. Lines that are not protocol JSON are skipped, as the pool does.
function Send-BridgeRequest {
    param([System.Collections.IDictionary] $Body)
    $id = $script:NextId++
    $Body['id'] = $id
    $script:Child.StandardInput.WriteLine((ConvertTo-Json -InputObject $Body -Compress -Depth 16))
    $script:Child.StandardInput.Flush()
    while ($true) {
        $line = $script:Child.StandardOutput.ReadLine()
        if ($null -eq $line) {
            # The simulator runner died under us (a simulated crash exits 137). The real process
            # this stands in for is the runner itself: it dies too, with the same code, and the
            # pool sees a runner that died mid-command. Nothing can be cleaned up after a crash.
            $script:Child.WaitForExit()
            [Environment]::Exit($script:Child.ExitCode)
        }
        try {
            $message = ConvertFrom-Json -InputObject $line -AsHashtable -Depth 32 -DateKind String
        }
        catch {
            continue
        }
        if ($message -is [System.Collections.IDictionary] -and $message['id'] -eq $id) {
            return $message
        }
    }
}

# The simulator's output objects as PowerShell objects: what the real modules return is objects
# whose properties runner.ps1 walks (ConvertTo-PlainObject), not hashtables.
function ConvertTo-BridgeObject {
    param($Value)
    if ($Value -is [System.Collections.IDictionary]) {
        $object = [ordered]@{}
        foreach ($key in $Value.Keys) {
            $object[$key] = ConvertTo-BridgeValue $Value[$key]
        }
        return [pscustomobject] $object
    }
    return $Value
}

function ConvertTo-BridgeValue {
    param($Value)
    if ($Value -is [System.Collections.IList]) {
        # A multi-valued property stays a collection, also with one element or none.
        $list = [System.Collections.ArrayList]::new()
        foreach ($item in $Value) {
            $null = $list.Add((ConvertTo-BridgeObject $item))
        }
        return , $list
    }
    return ConvertTo-BridgeObject $Value
}

<#
  Starts the simulator runner (once per process) and connects it as Role, with the secrets the
  double was given. Returns the names of the cmdlets the session loaded (the simulated account's
  role may lack some), or, for a failed connect, a failure object (see Invoke-CoexistSimulator).
#>
function Connect-CoexistSimulator {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][ValidateSet('exchange', 'source', 'google')][string] $Role,
        [Parameter(Mandatory = $true)][string[]] $Allow,
        [System.Collections.IDictionary] $Secrets = @{}
    )
    if ($null -ne $script:Child -and -not $script:Child.HasExited) {
        if ($script:Role -ne $Role) {
            throw [System.InvalidOperationException]::new("This process is connected as $($script:Role), not $Role.")
        }
        return [pscustomobject]@{ Ok = $true; Output = $script:Loaded }
    }
    $target = ConvertFrom-Json -InputObject (Get-BridgeSetting 'COEXIST_DOUBLES_TARGET') -AsHashtable -Depth 16 -DateKind String
    foreach ($key in $Secrets.Keys) {
        if ($null -ne $Secrets[$key]) {
            $target[$key] = $Secrets[$key]
        }
    }
    $start = [System.Diagnostics.ProcessStartInfo]::new((Get-BridgeSetting 'COEXIST_DOUBLES_NODE'))
    $start.ArgumentList.Add((Get-BridgeSetting 'COEXIST_DOUBLES_SIMULATOR'))
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    # stderr stays this process's own: the pool reads it as diagnostics.
    $start.RedirectStandardError = $false
    $start.StandardInputEncoding = $Utf8
    $start.StandardOutputEncoding = $Utf8
    # The simulator logs which front a session came through (its command log), so a test can
    # tell that these commands went through runner.ps1.
    $start.Environment['COEXIST_SIM_FRONT'] = 'runner.ps1'
    $script:Child = [System.Diagnostics.Process]::Start($start)
    $script:Child.StandardInput.NewLine = "`n"
    $hello = $script:Child.StandardOutput.ReadLine()
    if ($null -eq $hello) {
        throw [System.InvalidOperationException]::new('The simulator runner exited before its hello line.')
    }
    $answer = Send-BridgeRequest ([ordered]@{ type = 'connect'; role = $Role; target = $target; allow = $Allow })
    if (-not $answer['ok']) {
        # The runner is no use any more: the next connect starts a new one.
        $script:Child.StandardInput.Close()
        $script:Child.WaitForExit()
        $script:Child = $null
        return (ConvertTo-BridgeFailure $answer['error'])
    }
    $script:Role = $Role
    $script:Loaded = [string[]] @($answer['output'] | ForEach-Object { $_['Name'] })
    return [pscustomobject]@{ Ok = $true; Output = $script:Loaded }
}

function ConvertTo-BridgeFailure {
    param([System.Collections.IDictionary] $ErrorPayload)
    # The simulator's kind is left behind on purpose: runner.ps1 must work it out from the error
    # record alone, as it does from a real module's.
    return [pscustomobject]@{ Ok = $false; Reason = [string] $ErrorPayload['reason']; Message = [string] $ErrorPayload['message'] }
}

<#
  One cmdlet call on the connected simulator. Returns [pscustomobject]@{ Ok = $true; Output =
  <objects> } or [pscustomobject]@{ Ok = $false; Reason = <exception type name>; Message = <text> };
  each double shapes a failure as its real module does.
#>
function Invoke-CoexistSimulator {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string] $Role,
        [Parameter(Mandatory = $true)][string] $Cmdlet,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary] $Parameters
    )
    if ($null -eq $script:Child -or $script:Role -ne $Role) {
        throw [System.InvalidOperationException]::new("The $Role double is not connected.")
    }
    $plain = [ordered]@{}
    foreach ($key in $Parameters.Keys) {
        $plain[$key] = ConvertTo-BridgeParameter $Parameters[$key]
    }
    $answer = Send-BridgeRequest ([ordered]@{ type = 'invoke'; cmdlet = $Cmdlet; parameters = $plain })
    if (-not $answer['ok']) {
        return (ConvertTo-BridgeFailure $answer['error'])
    }
    $output = [System.Collections.Generic.List[object]]::new()
    foreach ($item in @($answer['output'])) {
        $output.Add((ConvertTo-BridgeObject $item))
    }
    return [pscustomobject]@{ Ok = $true; Output = $output.ToArray() }
}

# A bound parameter value as JSON data: a switch is a bool, a SecureString never leaves.
function ConvertTo-BridgeParameter {
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    if ($Value -is [System.Management.Automation.SwitchParameter]) {
        return $Value.IsPresent
    }
    if ($Value -is [enum]) {
        return $Value.ToString()   # as Exchange prints it; ConvertTo-Json would send the number
    }
    if ($Value -is [System.Security.SecureString]) {
        throw [System.ArgumentException]::new('A SecureString is never sent to the simulator as a cmdlet parameter.')
    }
    if ($Value -is [System.Collections.IDictionary]) {
        $plain = [ordered]@{}
        foreach ($key in $Value.Keys) {
            $plain[[string] $key] = ConvertTo-BridgeParameter $Value[$key]
        }
        return $plain
    }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) {
        return , @($Value | ForEach-Object { ConvertTo-BridgeParameter $_ })
    }
    return $Value
}

# End of the session: the simulator runner gives its session back at end of input.
function Disconnect-CoexistSimulator {
    [CmdletBinding()]
    param()
    if ($null -ne $script:Child) {
        try {
            $script:Child.StandardInput.Close()
            $script:Child.WaitForExit(10000) | Out-Null
        }
        finally {
            $script:Child = $null
            $script:Role = $null
        }
    }
}

Export-ModuleMember -Function Connect-CoexistSimulator, Invoke-CoexistSimulator, Disconnect-CoexistSimulator
