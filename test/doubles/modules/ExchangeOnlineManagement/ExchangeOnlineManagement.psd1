# A test double of ExchangeOnlineManagement (EXO V3), for runner.ps1 in real pwsh against the
# simulated tenant. Its version is the one whose PowerShell floor coexist documents (3.10 needs 7.6).
@{
    RootModule        = 'ExchangeOnlineManagement.psm1'
    ModuleVersion     = '3.10.0'
    GUID              = 'b5eced50-afa4-455b-847a-d8fb64140a22'
    Author            = 'coexist test doubles'
    Description       = 'Test double of ExchangeOnlineManagement: Connect-ExchangeOnline loads the documented cmdlets, which run against the coexist simulator.'
    PowerShellVersion = '7.4'
    FunctionsToExport = @('Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation')
    CmdletsToExport   = @()
    AliasesToExport   = @()
}
