#!/usr/bin/env pwsh
# How the pool commands grow with the pool: wall time of Request-OcsPoolCertificate -Assign and of
# Test-OcsPool on labs of 1, 2, 4 and 8 namespace members (examples/PoolHosts.psm1), one run each,
# with the default throttle (8). The goal is time nearly flat in pool size up to the throttle; each
# line also gives the time per member and the ratio to the one-member pool.
#
# Needs root, network namespaces and a private /etc/hosts: ./build.ps1 bench runs it as
# tests/pool/with-own-hosts.sh pwsh -File tests/bench/Measure-PoolCommands.ps1
param([int[]] $Sizes = @(1, 2, 4, 8))
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
Import-Module (Join-Path $root 'module/OcsCertificate/OcsCertificate.psd1') -Force
Import-Module (Join-Path $root 'examples/PoolHosts.psm1') -Force
Import-Module (Join-Path $root 'examples/PoolDefinition.psm1') -Force

$why = Test-OcsPoolHostSupport
if ($why) { Write-Host "Pool benchmark not run: $why"; return }

$rows = foreach ($size in $Sizes) {
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pool-bench-" + [guid]::NewGuid().ToString('n'))
    $names = 1..$size | ForEach-Object { 'fe{0:d2}' -f $_ }
    $lab = New-OcsPoolHosts -Folder $folder -Member $names
    try {
        Set-OcsPoolHostsName -Lab $lab -Name 'pool01.contoso.test' -Address ($lab.Members | Select-Object -First 1).Address
        $pool = Write-OcsPoolDefinition -Lab $lab -Path (Join-Path $folder 'pool01.psd1')
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $issued = @(Request-OcsPoolCertificate -Pool $pool -Assign -InformationAction Ignore)
        $request = $watch.Elapsed.TotalSeconds
        $watch.Restart()
        $report = Test-OcsPool -Pool $pool
        $test = $watch.Elapsed.TotalSeconds
        [pscustomobject]@{
            Members   = $size
            Issued    = @($issued | Where-Object Status -eq 'Succeeded').Count
            RequestS  = [Math]::Round($request, 1)
            TestS     = [Math]::Round($test, 1)
            Handshakes = "$(@($report.Matrix | Where-Object Passed).Count)/$(@($report.Matrix).Count)"
        }
    }
    finally {
        Remove-OcsPoolHosts -Lab $lab
        Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
    }
}
$base = $rows | Select-Object -First 1
Write-Host ''
Write-Host "Pool commands by pool size ($([Environment]::ProcessorCount) cores, load average $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 1)):"
$rows | ForEach-Object {
    $_ | Add-Member -NotePropertyName 'Request/1' -NotePropertyValue ('{0:n2}x' -f ($_.RequestS / $base.RequestS)) -PassThru |
        Add-Member -NotePropertyName 'Test/1' -NotePropertyValue ('{0:n2}x' -f ($_.TestS / $base.TestS)) -PassThru
} | Format-Table Members, Issued, RequestS, 'Request/1', TestS, 'Test/1', Handshakes | Out-String | Write-Host
