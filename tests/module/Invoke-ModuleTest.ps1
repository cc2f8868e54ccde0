# Runs one Pester test file; the exit code is the number of failed tests, and a
# file that ran no test at all fails too (so an empty suite cannot pass), and so
# does a Pester that would not load.
param(
    [Parameter(Mandatory)] [string] $Pester,
    [Parameter(Mandatory)] [string] $Path
)
$ErrorActionPreference = 'Stop'
Import-Module $Pester -MinimumVersion 5.0
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
if (-not $result -or $result.PassedCount -eq 0) { Write-Error "No test passed in '$Path'."; exit 1 }
exit ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)
