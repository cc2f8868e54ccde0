#!/usr/bin/env pwsh
<#
.SYNOPSIS
The whole wizard flow for two Front End servers of pool01 against an online CA, proved with mutual TLS.

.DESCRIPTION
The main job (./build.ps1 demo). An embedded default CA (Pebble, a real ACME CA) runs on
loopback. Each server, with its own store as on its own machine, runs the wizard in one
command: New-OcsCertificateRequest -CA ... -Assign makes the key and the request, sends
it, answers the CA's http-01 check with the built-in listener, installs the certificate
with its chain and assigns it to the Front End role after every check. Then fe02 serves
its live certificate with `openssl s_server`, demanding a client certificate, and fe01
proves with Test-OcsCertificate -Peer that the two servers authenticate each other.
Then fe01 keeps its certificate valid: the CA issues certificates that live one minute,
so the renewal window passes while you watch; Update-OcsCertificate -WhatIf says what is
due and why, Update-OcsCertificate renews it with a new key and binds it to the same role,
and Register-OcsCertificateRenewal writes the scheduled job (into a folder of the demo's
own, so nothing on this machine changes).
Everything runs in a throwaway folder that is removed at the end, CA included.
#>
param([string] $WorkFolder)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../module/OcsCertificate/OcsCertificate.psd1') -Force
Import-Module (Join-Path $PSScriptRoot 'EmbeddedCa.psm1') -Force

function Show($objects) { $objects | Format-Table -Wrap | Out-String -Width 150 | Write-Host }

$throwaway = -not $WorkFolder
if ($throwaway) { $WorkFolder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-online-" + [guid]::NewGuid().ToString('n').Substring(0, 8)) }
$ca = $null
$peer = $null
try {
    Write-Host "== The embedded CA: Pebble (ACME) on loopback" -ForegroundColor Cyan
    $ca = Start-OcsEmbeddedCa -Folder (Join-Path $WorkFolder 'ca') -ValiditySeconds 60
    Write-Host "   $($ca.CA)  (http-01 answered on $($ca.HttpListener))"

    foreach ($server in 'fe01', 'fe02') {
        $store = Join-Path $WorkFolder $server
        Write-Host "`n== $server.contoso.com: request, submit, issue, install, assign (one command)" -ForegroundColor Cyan
        $certificate = New-OcsCertificateRequest -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn `
            -IncludeMachineName -MachineFqdn "$server.contoso.com" -FriendlyName 'OCS pool01' -KeyAlgorithm ECDSA_P256 `
            -Organization Contoso -Country US -State Washington -City Redmond `
            -CA $ca.CA -CaBundle $ca.CaBundle -HttpListener $ca.HttpListener -Assign -TrustAnchorPath $ca.RootPath -StorePath $store
        if ($certificate.Role -notcontains 'FrontEnd') { throw "$server's certificate was not assigned." }
        Show $certificate
        Show (Get-OcsCertificateBinding -StorePath $store)
    }

    Write-Host "== fe02 serves its live Front End certificate and demands one from its peers (openssl s_server -Verify)" -ForegroundColor Cyan
    $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $live = Join-Path $WorkFolder 'fe02/live/FrontEnd'
    $peer = Start-Process openssl -PassThru -RedirectStandardOutput (Join-Path $WorkFolder 's_server.log') -RedirectStandardError (Join-Path $WorkFolder 's_server.err') -ArgumentList @(
        's_server', '-accept', "127.0.0.1:$port", '-cert', (Join-Path $live 'cert.pem'), '-cert_chain', (Join-Path $live 'chain.pem'),
        '-key', (Join-Path $live 'key.pem'), '-CAfile', $ca.RootPath, '-Verify', '2', '-verify_return_error', '-quiet')
    foreach ($attempt in 1..50) {
        try { $probe = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $probe.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
    }

    Write-Host "`n== fe01 proves mutual TLS with fe02 (Test-OcsCertificate -Peer)" -ForegroundColor Cyan
    $checks = Test-OcsCertificate -Role FrontEnd -Peer "127.0.0.1:$port" -PeerName pool01.contoso.com -TrustAnchorPath $ca.RootPath -StorePath (Join-Path $WorkFolder 'fe01')
    Show $checks
    $failed = @($checks | Where-Object { -not $_.Passed })
    if ($failed) { throw "Checks failed: $($failed.Check -join ', ')" }
    Write-Host "All $($checks.Count) checks passed: both pool servers hold CA-issued certificates, assigned, and trust each other." -ForegroundColor Green

    $fe01 = Join-Path $WorkFolder 'fe01'
    Write-Host "`n== fe01 keeps its certificate valid (this CA's certificates live one minute)" -ForegroundColor Cyan
    $current = Get-OcsCertificate -StorePath $fe01
    $current | Format-List Thumbprint, NotAfter, RenewAfter, CA, Role | Out-String -Width 150 | Write-Host
    $wait = [math]::Max(0, [math]::Ceiling(($current.RenewAfter - (Get-Date).ToUniversalTime()).TotalSeconds) + 1)
    Write-Host "Waiting $wait s for the renewal window (RenewAfter) to pass..."
    Start-Sleep -Seconds $wait
    Update-OcsCertificate -WhatIf -StorePath $fe01
    $renewed = Update-OcsCertificate -StorePath $fe01
    if ($renewed.Outcome -ne 'Renewed') { throw "fe01's certificate was not renewed: $($renewed.Message)" }
    Show $renewed
    Show (Get-OcsCertificateBinding -StorePath $fe01 | Select-Object Role, Thumbprint, PreviousThumbprint, NotAfter)
    $cronFolder = New-Item -ItemType Directory -Force (Join-Path $WorkFolder 'cron.d')
    $registration = Register-OcsCertificateRenewal -Scheduler Cron -Folder $cronFolder.FullName -StorePath $fe01
    Show (Get-OcsCertificateRenewal -StorePath $fe01)
    Write-Host (Get-Content -Raw $registration.Files[0])
}
finally {
    if ($peer -and -not $peer.HasExited) { $peer.Kill() }
    if ($ca) { Stop-OcsEmbeddedCa $ca }
    if ($throwaway) { Remove-Item -Recurse -Force $WorkFolder -ErrorAction SilentlyContinue }
}
