<#
  Dot-sourced into the session module of the Exchange doubles (the tmpEXO_ module that
  Connect-ExchangeOnline loads, and the module Import-PSSession returns), beside
  ExchangeCmdlets.ps1, whose functions each end in Invoke-ExchangeDouble. $Flavor, set by the
  module's script block, is 'rest' (Exchange Online, EXO V3) or 'remote' (Remote PowerShell to an
  on-premises server): the two shape errors and objects differently, and runner.ps1 must read both.
#>

Set-StrictMode -Version Latest
Import-Module -Name CoexistSimulatorBridge

# Errors that are .NET exceptions rather than Exchange's own (a connect's certificate, the
# transport, the REST client): thrown as their own type, as the real modules do.
$script:DotNetExceptions = @{
    ArgumentException              = [System.ArgumentException]
    ArgumentOutOfRangeException    = [System.ArgumentOutOfRangeException]
    AuthenticationException        = [System.Security.Authentication.AuthenticationException]
    CryptographicException         = [System.Security.Cryptography.CryptographicException]
    HttpRequestException           = [System.Net.Http.HttpRequestException]
    PSRemotingTransportException   = [System.Management.Automation.Remoting.PSRemotingTransportException]
    CommandNotFoundException       = [System.Management.Automation.CommandNotFoundException]
}

# Where each Exchange exception type lives, for the EXO V3 text "ExNNNNNN|<namespace>.<type>|<text>"
# (shared/reference/exchange-cmdlets.md §0). Only the ManagementObjectNotFoundException one is
# seen in the reported texts; the others are Exchange's namespaces as its assemblies name them,
# and runner.ps1 reads only the type's last part.
$script:ExchangeNamespaces = @{
    ManagementObjectNotFoundException  = 'Microsoft.Exchange.Configuration.Tasks'
    ManagementObjectAmbiguousException = 'Microsoft.Exchange.Configuration.Tasks'
    RecipientTaskException             = 'Microsoft.Exchange.Configuration.Tasks'
    DataValidationException            = 'Microsoft.Exchange.Data'
    ADObjectAlreadyExistsException     = 'Microsoft.Exchange.Data.Directory'
    ADTransientException               = 'Microsoft.Exchange.Data.Directory'
    ProxyAddressExistsException        = 'Microsoft.Exchange.Data.Directory'
    MemberAlreadyExistsException       = 'Microsoft.Exchange.Management.Tasks'
    MemberNotFoundException            = 'Microsoft.Exchange.Management.Tasks'
    ThrottlingException                = 'Microsoft.Exchange.Data.Directory'
}

function Get-ExchangeErrorStamp {
    $server = if ($Flavor -eq 'rest') { 'AM0PR06A001DC01.EURPR06A001.prod.outlook.com' } else { 'EX01' }
    return "[Server=$server,RequestId=$([guid]::NewGuid()),TimeStamp=$([datetime]::UtcNow.ToString('M/d/yyyy h:mm:ss tt'))]"
}

<#
  The error record the real module would write for a failure the simulator reported (Reason: the
  exception's type name, Message: its text).
  - EXO V3 puts the type inside the message ("Ex6F9304|Microsoft.Exchange...NotFoundException|
    ...") with CategoryInfo "NotSpecified: (:) [Get-Recipient], ManagementObjectNotFoundException"
    and error ID "[Server=…,RequestId=…,TimeStamp=…],Write-ErrorMessage" (reference §0). Which
    .NET type the record's exception itself has is not documented: System.Exception here, so
    nothing but the text and the category can tell the type.
  - Remote PowerShell delivers a RemoteException with the type in the error ID: "[Server=…]
    [FailureCategory=Cmdlet-ManagementObjectNotFoundException] 8288830C,Microsoft.Exchange.
    Management…" (reference §0).
#>
function New-ExchangeErrorRecord {
    param([string] $Name, [string] $Reason, [string] $Message)
    $dotNet = $script:DotNetExceptions[$Reason]
    if ($null -ne $dotNet) {
        $exception = $dotNet::new($Message)
        $record = [System.Management.Automation.ErrorRecord]::new($exception, $Reason, 'NotSpecified', $null)
    }
    elseif ($Flavor -eq 'rest') {
        $namespace = $script:ExchangeNamespaces[$Reason]
        if (-not $namespace) { $namespace = 'Microsoft.Exchange.Configuration.Tasks' }
        $code = 'Ex' + ([System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Reason)), 0, 3) -replace '-', '')
        $exception = [System.Exception]::new("$code|$namespace.$Reason|$Message")
        $record = [System.Management.Automation.ErrorRecord]::new($exception, "$(Get-ExchangeErrorStamp),Write-ErrorMessage", 'NotSpecified', $null)
    }
    else {
        $exception = [System.Management.Automation.RemoteException]::new($Message)
        $task = $Name -replace '-', ''
        $record = [System.Management.Automation.ErrorRecord]::new($exception, "$(Get-ExchangeErrorStamp) [FailureCategory=Cmdlet-$Reason] 8288830C,Microsoft.Exchange.Management.Tasks.$task", 'NotSpecified', $null)
    }
    $record.CategoryInfo.Reason = $Reason
    $record.CategoryInfo.Activity = $Name
    return $record
}

# Remote PowerShell adds these to every deserialised object (runner.ps1 drops them again).
$script:RemotingRunspace = [guid]::NewGuid()

# The one body of every doubled cmdlet: the bound parameters, as data, to the simulator.
function Invoke-ExchangeDouble {
    param($Caller, [string] $Name, [System.Collections.IDictionary] $Bound)
    $role = if ($Flavor -eq 'rest') { 'exchange' } else { 'source' }
    # The cmdlet's own parameters go to Exchange; the common ones (-ErrorAction, which runner.ps1
    # always sets, -Verbose, ...) are the local engine's. -Confirm is Exchange's to honour.
    $parameters = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ([System.Management.Automation.PSCmdlet]::CommonParameters -notcontains $key) {
            $parameters[$key] = $Bound[$key]
        }
    }
    $answer = Invoke-CoexistSimulator -Role $role -Cmdlet $Name -Parameters $parameters
    if (-not $answer.Ok) {
        # Both modules write Exchange's errors as non-terminating records; runner.ps1's
        # -ErrorAction Stop makes them terminating, as with the real cmdlets.
        $Caller.WriteError((New-ExchangeErrorRecord $Name $answer.Reason $answer.Message))
        return
    }
    foreach ($object in $answer.Output) {
        if ($Flavor -eq 'remote') {
            $object | Add-Member -NotePropertyName PSComputerName -NotePropertyValue 'ex01.contoso.com'
            $object | Add-Member -NotePropertyName RunspaceId -NotePropertyValue $script:RemotingRunspace
            $object | Add-Member -NotePropertyName PSShowComputerName -NotePropertyValue $false
        }
        $Caller.WriteObject($object)
    }
}
