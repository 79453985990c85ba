<#
  Test double of the Configuration module (see Configuration.psd1): it stands in for the module
  PSGSuite 3.0.0 requires, so that PSGSuite's RequiredModules check and runner.ps1's
  Get-Module -ListAvailable -Name Configuration check pass. It has no commands.
#>
Export-ModuleMember -Function @() -Cmdlet @() -Variable @() -Alias @()
