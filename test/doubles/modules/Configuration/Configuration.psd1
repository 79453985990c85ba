# Test double of the Configuration module (PoshCode/Configuration), which PSGSuite 3.0.0 requires:
# its manifest has RequiredModules = @(@{ModuleName = "Configuration"; ModuleVersion = "1.3.1"})
# (SCRT-HQ/PSGSuite, tag v3.0.0, PSGSuite/PSGSuite.psd1), and runner.ps1 looks for it before it
# imports PSGSuite. The real module stores module settings in files; the PSGSuite double reads and
# writes no configuration file, so this double exports nothing.
@{
    RootModule        = 'Configuration.psm1'
    ModuleVersion     = '1.6.0'
    GUID              = 'e6769096-843d-43a5-9b87-dc6987057522'
    Author            = 'coexist test doubles'
    Description       = 'Test double of the Configuration module that PSGSuite requires (RequiredModules, 1.3.1 or later). Exports nothing.'
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
