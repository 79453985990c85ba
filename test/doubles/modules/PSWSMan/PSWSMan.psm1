#Requires -Version 7.4
<#
  Test double of PSWSMan 3.x. The real Enable-PSWSMan "injects itself into the PowerShell engine
  to force it to use the WSMan client it provides for WSMan transports", globally to the process
  and irreversibly (Enable-PSWSMan.md). No Exchange server is reachable from the tests, so this
  double's injection is one level up: once enabled, New-PSSession, Import-PSSession and
  Remove-PSSession in this process are functions that open a Remote PowerShell session to the
  coexist simulator's on-premises Exchange. runner.ps1 calls them exactly as it calls the built-in
  cmdlets (their documented parameters for the -ConnectionUri form); functions come before
  cmdlets in PowerShell's command lookup (about_Command_Precedence).
#>

Set-StrictMode -Version Latest
Import-Module -Name CoexistSimulatorBridge

$script:Doubles = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).Path
. (Join-Path $script:Doubles 'SessionModule.ps1')
$script:Session = $null

function Enable-PSWSMan {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param([switch] $Force)
    if (-not $Force -and -not $PSCmdlet.ShouldProcess('the PowerShell engine', 'Enable PSWSMan')) {
        return
    }
    foreach ($name in 'New-PSSession', 'Import-PSSession', 'Remove-PSSession') {
        # Defined in this module, the script blocks keep its state (the one session) wherever they are called.
        Set-Item -Path "function:global:$name" -Value (Get-Item -LiteralPath "function:Double$name").ScriptBlock
    }
}

# New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri <uri> -Authentication <a> -Credential <c>
function DoubleNew-PSSession {
    [CmdletBinding(DefaultParameterSetName = 'Uri')]
    param(
        [Parameter(ParameterSetName = 'Uri', Mandatory = $true, Position = 0)][Alias('URI', 'CU')][uri[]] $ConnectionUri,
        [string] $ConfigurationName,
        [System.Management.Automation.Runspaces.AuthenticationMechanism] $Authentication = 'Default',
        [System.Management.Automation.PSCredential] $Credential,
        [switch] $AllowRedirection,
        [string] $CertificateThumbprint,
        [switch] $EnableNetworkAccess,
        [string[]] $Name,
        [System.Management.Automation.Remoting.PSSessionOption] $SessionOption,
        [int] $ThrottleLimit
    )
    if ($ConfigurationName -ne 'Microsoft.Exchange') {
        throw [System.ArgumentException]::new('The simulated server has only the Microsoft.Exchange session configuration.')
    }
    $secrets = @{}
    if ($Credential) {
        $secrets['username'] = $Credential.UserName
        $secrets['password'] = $Credential.GetNetworkCredential().Password
    }
    # The session's cmdlets are chosen at Import-PSSession; the server loads what the account's
    # role grants, so the connect asks for every cmdlet the doubles know.
    $answer = Connect-CoexistSimulator -Role source -Allow @(Get-DoubledCmdletName) -Secrets $secrets
    if (-not $answer.Ok) {
        # New-PSSession writes a PSRemotingTransportException ("Connecting to remote server … failed
        # with the following error message : Access is denied.") as a non-terminating error.
        $exception = if ($answer.Reason -eq 'PSRemotingTransportException') {
            [System.Management.Automation.Remoting.PSRemotingTransportException]::new($answer.Message)
        }
        else {
            [System.Exception]::new($answer.Message)
        }
        $record = [System.Management.Automation.ErrorRecord]::new($exception, 'PSSessionOpenFailed', 'OpenError', $null)
        $record.CategoryInfo.Reason = $answer.Reason
        $PSCmdlet.WriteError($record)
        return
    }
    $script:Session = [pscustomobject]@{
        PSTypeName        = 'Coexist.Doubles.PSSession'
        Id                = 1
        Name              = 'WinRM1'
        ComputerName      = $ConnectionUri[0].Host
        ConfigurationName = $ConfigurationName
        State             = 'Opened'
        Loaded            = [string[]] @($answer.Output)
    }
    return $script:Session
}

function DoubleImport-PSSession {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)][Alias('PSSession')] $Session,
        [Parameter(Position = 2)][Alias('Name')][string[]] $CommandName,
        [switch] $AllowClobber,
        [switch] $DisableNameChecking,
        [string] $Prefix,
        [object[]] $ArgumentList,
        [System.Management.Automation.CommandTypes] $CommandType,
        [string[]] $FormatTypeName,
        [string] $Certificate
    )
    if ($null -eq $script:Session -or -not [object]::ReferenceEquals($Session, $script:Session)) {
        throw [System.ArgumentException]::new('The session is not open.')
    }
    $loaded = @($Session.Loaded | Where-Object { $name = $_; -not $CommandName -or @($CommandName | Where-Object { $name -like $_ }).Count -gt 0 })
    # Import-PSSession returns the temporary module that holds the proxy functions.
    $module = New-ExchangeSessionModule -Name ('tmp_' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.' + [guid]::NewGuid().ToString('N').Substring(0, 3)) -Flavor 'remote' -Loaded $loaded
    return $module
}

function DoubleRemove-PSSession {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] $Session)
    if ($null -ne $script:Session -and [object]::ReferenceEquals($Session, $script:Session)) {
        Disconnect-CoexistSimulator
        $script:Session.State = 'Closed'
        $script:Session = $null
    }
}

Export-ModuleMember -Function Enable-PSWSMan
