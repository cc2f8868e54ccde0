#!/usr/bin/env pwsh
# The whole pool from one console: three pool members (network namespaces with
# their own sshd, host name and store, reached over PowerShell's SSH remoting),
# the embedded CA (Pebble) validating each of them by name, and the pool name
# pointing at fe01 only, as a load balancer's address would.
#
#   1. Request-OcsPoolCertificate: every member makes its key and gets its
#      certificate in parallel, and assigns it to its roles.
#   2. Test-OcsPool: each member's state and the mutual-TLS matrix.
#   3. Update-OcsPool: a rolling renewal, one member at a time.
#
# Needs root and network namespaces, and a private /etc/hosts for the member
# names: run it as `tests/pool/with-own-hosts.sh pwsh -File examples/Pool-Flow.ps1`
# (./build.ps1 demo does). Removes everything it made.
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'module/OcsCertificate/OcsCertificate.psd1') -Force
Import-Module (Join-Path $PSScriptRoot 'PoolHosts.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'PoolDefinition.psm1') -Force

$folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pool-demo-" + [guid]::NewGuid().ToString('n'))
$lab = $null
try {
    Write-Host "Starting three pool members and the embedded CA..."
    $lab = New-OcsPoolHosts -Folder $folder -Member fe01, fe02, fe03
    $fe01 = $lab.Members | Where-Object Name -eq 'fe01'
    Set-OcsPoolHostsName -Lab $lab -Name 'pool01.contoso.test' -Address $fe01.Address
    $pool = Write-OcsPoolDefinition -Lab $lab -Path (Join-Path $folder 'pool01.psd1')
    Write-Host "`nThe pool definition ($pool):"
    Get-Content $pool | ForEach-Object { Write-Host "  $_" }

    Write-Host "`nPS> Request-OcsPoolCertificate -Pool pool01.psd1 -Assign"
    Request-OcsPoolCertificate -Pool $pool -Assign | Format-Table | Out-String -Width 150 | Write-Host

    Write-Host "PS> Test-OcsPool -Pool pool01.psd1"
    Test-OcsPool -Pool $pool | Out-String -Width 150 | Write-Host

    Write-Host "PS> Update-OcsPool -Pool pool01.psd1 -Force"
    Update-OcsPool -Pool $pool -Force | Format-Table | Out-String -Width 150 | Write-Host
}
finally {
    if ($lab) { Remove-OcsPoolHosts -Lab $lab }
    Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
}
