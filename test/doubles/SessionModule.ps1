<#
  Dot-sourced by the ExchangeOnlineManagement and PSWSMan doubles: the cmdlets a session can
  load, and the module that holds a session's cmdlets.
#>

# Every Exchange cmdlet the doubles know: the functions ExchangeCmdlets.ps1 defines.
function Get-DoubledCmdletName {
    $text = Get-Content -LiteralPath (Join-Path $script:Doubles 'ExchangeCmdlets.ps1') -Raw
    foreach ($match in [regex]::Matches($text, '(?m)^function\s+([A-Za-z]+-[A-Za-z0-9]+)')) {
        $match.Groups[1].Value
    }
}

<#
  A session's module: ExchangeDouble.ps1 and ExchangeCmdlets.ps1 in one module, exporting only
  the cmdlets the session loaded. $Flavor is 'rest' (EXO V3's tmpEXO_ module) or 'remote' (the
  module Import-PSSession returns).
#>
function New-ExchangeSessionModule {
    param([string] $Name, [string] $Flavor, [string[]] $Loaded)
    $files = @((Join-Path $script:Doubles 'ExchangeDouble.ps1'), (Join-Path $script:Doubles 'ExchangeCmdlets.ps1'))
    return New-Module -Name $Name -ArgumentList $files, $Flavor, $Loaded -ScriptBlock {
        param([string[]] $Files, [string] $Flavor, [string[]] $Loaded)
        foreach ($file in $Files) {
            . $file
        }
        Export-ModuleMember -Function $Loaded
    }
}
