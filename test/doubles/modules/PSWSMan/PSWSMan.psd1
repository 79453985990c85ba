# A test double of PSWSMan 3.x (jborean93/PSWSMan), the WSMan client PowerShell needs for Remote
# PowerShell from Linux or macOS. Version 3 hooks the engine per process with Enable-PSWSMan
# ("This operation is global to the process", Enable-PSWSMan.md); this double's hook is the
# session it stands in for: New-PSSession to a simulated Exchange server.
@{
    RootModule        = 'PSWSMan.psm1'
    ModuleVersion     = '3.0.0'
    GUID              = '92ec96bf-3137-4133-8e3e-7ba7ab1bde0a'
    Author            = 'coexist test doubles'
    Description       = 'Test double of PSWSMan 3: Enable-PSWSMan makes New-PSSession reach the coexist simulator as an on-premises Exchange server.'
    PowerShellVersion = '7.4'
    FunctionsToExport = @('Enable-PSWSMan')
    CmdletsToExport   = @()
    AliasesToExport   = @()
}
