# Runs one pool test file: when this machine cannot make the pool lab, says why and exits 77
# (CTest's SKIP_RETURN_CODE: counted as not run, never as passed); else runs the file through
# Invoke-ModuleTest.ps1 under with-own-hosts.sh, so the lab's names resolve for this run only.
param(
    [Parameter(Mandatory)] [string] $Pester,
    [Parameter(Mandatory)] [string] $Path
)
Import-Module (Join-Path $PSScriptRoot '../../examples/PoolHosts.psm1')
$reason = Test-OcsPoolHostSupport
if ($reason) {
    Write-Host "NOT RUN: $reason"
    exit 77
}
# The launcher's path, not this process's (dotnet): the same pwsh runs the test file.
$pwsh = @($env:OCSCERT_PWSH, (Join-Path $PSScriptRoot '../../.tools/pwsh/pwsh'), (Get-Command pwsh -ErrorAction SilentlyContinue).Source) |
    Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
& (Join-Path $PSScriptRoot 'with-own-hosts.sh') $pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot '../module/Invoke-ModuleTest.ps1') -Pester $Pester -Path $Path
exit $LASTEXITCODE
