#Requires -Version 7.4
<#
  Test double of ExchangeOnlineManagement 3.x (EXO V3). Connect-ExchangeOnline takes the
  documented parameters (Connect-ExchangeOnline.md), connects to the coexist simulator as the
  tenant, and loads the allowed cmdlets into a temporary module, as EXO V3 does ("tmpEXO_…";
  -CommandName "loads only the specified cmdlets"). The cmdlets themselves are
  test/doubles/ExchangeCmdlets.ps1 (documented parameters), their body ExchangeDouble.ps1.
#>

Set-StrictMode -Version Latest
Import-Module -Name CoexistSimulatorBridge

$script:SessionModule = $null
$script:Doubles = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).Path

# Get-DoubledCmdletName and New-ExchangeSessionModule, shared with the PSWSMan double.
. (Join-Path $script:Doubles 'SessionModule.ps1')

function Connect-ExchangeOnline {
    [CmdletBinding(DefaultParameterSetName = 'DefaultParameterSet')]
    param(
        [Parameter(Position = 0)][string] $ConnectionUri,
        [Parameter(Position = 1)][string] $AzureADAuthorizationEndpointUri,
        [Parameter(Position = 2)][ValidateSet('O365Default', 'O365GermanyCloud', 'O365China', 'O365USGovGCCHigh', 'O365USGovDoD')][string] $ExchangeEnvironmentName = 'O365Default',
        [Parameter(Position = 3)][System.Management.Automation.Remoting.PSSessionOption] $PSSessionOption,
        [Parameter(Position = 4)][switch] $BypassMailboxAnchoring,
        [Parameter(Position = 5)][string] $DelegatedOrganization,
        [Parameter(Position = 6)][string] $Prefix,
        [Parameter(Position = 7)][switch] $ShowBanner = $true,
        [string] $AccessToken,
        [string] $AppId,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [string] $CertificateFilePath,
        [System.Security.SecureString] $CertificatePassword,
        [string] $CertificateThumbprint,
        [string[]] $CommandName = @('*'),
        [System.Management.Automation.PSCredential] $Credential,
        [switch] $Device,
        [switch] $DisableWAM,
        [switch] $EnableErrorReporting,
        [string[]] $FormatTypeName,
        [switch] $InlineCredential,
        [string] $LogDirectoryPath,
        [ValidateSet('Default', 'All')][string] $LogLevel,
        [switch] $ManagedIdentity,
        [string] $ManagedIdentityAccountId,
        [string] $Organization,
        [uint32] $PageSize = 1000,
        [switch] $ShowProgress,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $SigningCertificate,
        [switch] $SkipLoadingCmdletHelp,
        [switch] $SkipLoadingFormatData,
        [bool] $TrackPerformance,
        [bool] $UseMultithreading = $true,
        [string] $UserPrincipalName
    )
    # App-only certificate authentication needs the app and the organization (App-only
    # authentication for unattended scripts, "Connect using a local certificate").
    if ($CertificateFilePath -or $Certificate) {
        if (-not $AppId -or -not $Organization) {
            throw [System.ArgumentException]::new('AppId and Organization are required for certificate based authentication.')
        }
    }
    $secrets = @{}
    if ($CertificateFilePath) {
        # The double opens no PFX: the simulated world checks the password instead (a wrong one
        # fails the connect with the .NET CryptographicException a real PFX would raise).
        if (-not (Test-Path -LiteralPath $CertificateFilePath -PathType Leaf)) {
            throw [System.IO.FileNotFoundException]::new("Could not find file '$CertificateFilePath'.", $CertificateFilePath)
        }
        if ($CertificatePassword) {
            $secrets['certificatePassword'] = [System.Net.NetworkCredential]::new('', $CertificatePassword).Password
        }
    }
    $known = Get-DoubledCmdletName
    $wanted = @($known | Where-Object { $name = $_; @($CommandName | Where-Object { $name -like $_ }).Count -gt 0 })
    $answer = Connect-CoexistSimulator -Role exchange -Allow $wanted -Secrets $secrets
    if (-not $answer.Ok) {
        $type = @{ CryptographicException = [System.Security.Cryptography.CryptographicException]; AuthenticationException = [System.Security.Authentication.AuthenticationException]; HttpRequestException = [System.Net.Http.HttpRequestException] }[$answer.Reason]
        if ($null -eq $type) { $type = [System.Exception] }
        throw $type::new($answer.Message)
    }
    $loaded = [string[]] @($answer.Output)
    $name = 'tmpEXO_' + ([guid]::NewGuid().ToString('N').Substring(0, 8)) + '.' + ([guid]::NewGuid().ToString('N').Substring(0, 3))
    $script:SessionModule = New-ExchangeSessionModule -Name $name -Flavor 'rest' -Loaded $loaded
    $import = @{ ModuleInfo = $script:SessionModule; Global = $true; DisableNameChecking = $true }
    if ($Prefix) { $import['Prefix'] = $Prefix }
    Import-Module @import
}

function Disconnect-ExchangeOnline {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [string] $ConnectionId,
        [string] $ModulePrefix
    )
    if (-not $PSCmdlet.ShouldProcess('the Exchange Online session', 'Disconnect')) {
        return
    }
    if ($null -ne $script:SessionModule) {
        Remove-Module -ModuleInfo $script:SessionModule -Force
        $script:SessionModule = $null
    }
    Disconnect-CoexistSimulator
}

function Get-ConnectionInformation {
    [CmdletBinding()]
    param([string[]] $ConnectionId, [string[]] $ModulePrefix)
    if ($null -eq $script:SessionModule) {
        return
    }
    [pscustomobject]@{ State = 'Connected'; ModuleName = $script:SessionModule.Name; TokenStatus = 'Active' }
}

Export-ModuleMember -Function Connect-ExchangeOnline, Disconnect-ExchangeOnline, Get-ConnectionInformation
