# A test double of PSGSuite 3.0.0 (SCRT-HQ/PSGSuite, tag v3.0.0, commit 43f90e9), for runner.ps1
# in real pwsh against the simulated Google tenant. Version, PowerShell floor and RequiredModules
# are the real manifest's (PSGSuite/PSGSuite.psd1); the functions are the ones coexist drives
# (provider/src/exchange/cmdlets/google.ts) plus New-GoogleService, which CoexistGoogle.psm1 calls.
# The real manifest's PSData also says Prerelease = 'beta'; it is left out here (see README.md).
@{
    RootModule        = 'PSGSuite.psm1'
    ModuleVersion     = '3.0.0'
    GUID              = '4ffe621a-4f52-4416-b823-599b9aa78a87'
    Author            = 'coexist test doubles'
    Description       = 'Test double of PSGSuite 3.0.0: the cmdlets coexist drives, with their real parameter sets, running against the coexist simulator.'
    PowerShellVersion = '7.4'
    RequiredModules   = @(@{ ModuleName = 'Configuration'; ModuleVersion = '1.3.1' })
    FunctionsToExport = @(
        'Add-GSGmailForwardingAddress',
        'Get-GSDomain',
        'Get-GSDomainAlias',
        'Get-GSGmailAutoForwardingSettings',
        'Get-GSGmailForwardingAddress',
        'Get-GSUser',
        'New-GoogleService',
        'Update-GSGmailAutoForwardingSettings'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
