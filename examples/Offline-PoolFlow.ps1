#!/usr/bin/env pwsh
<#
.SYNOPSIS
The whole offline wizard flow for two Front End servers of pool01, proved with mutual TLS.

.DESCRIPTION
An offline enterprise-style CA (root and issuing CA, made with the openssl CLI) answers
the requests of fe01 and fe02, each with its own store as on its own server. Each server:
request -> CA -> Complete-OcsCertificateRequest -> Set-OcsCertificate (all three roles).
Then fe02 serves its live certificate with `openssl s_server`, demanding a client
certificate, and fe01 proves with Test-OcsCertificate -Peer that the two authenticate each
other. Everything lives in a throwaway folder that is removed at the end.
#>
param([string] $WorkFolder)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../module/OcsCertificate/OcsCertificate.psd1') -Force

function Invoke-OpenSsl {
    & openssl @args 2>$null
    if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed" }
}
function Show($objects) { $objects | Format-Table -Wrap | Out-String -Width 150 | Write-Host }

$throwaway = -not $WorkFolder
if ($throwaway) { $WorkFolder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pool-" + [guid]::NewGuid().ToString('n').Substring(0, 8)) }
$ca = Join-Path $WorkFolder 'ca'
$null = New-Item -ItemType Directory -Force $ca
$peer = $null
try {
    Write-Host "== An offline CA: Contoso Root CA -> Contoso Issuing CA" -ForegroundColor Cyan
    $root = Join-Path $ca 'root.pem'
    $issuing = Join-Path $ca 'issuing.pem'
    Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/O=Contoso/CN=Contoso Root CA' -days 3650 -keyout (Join-Path $ca 'root.key') -out $root
    Set-Content (Join-Path $ca 'ca.cnf') "basicConstraints=critical,CA:TRUE`nkeyUsage=critical,keyCertSign,cRLSign"
    Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/O=Contoso/CN=Contoso Issuing CA' -keyout (Join-Path $ca 'issuing.key') -out (Join-Path $ca 'issuing.req')
    Invoke-OpenSsl x509 -req -in (Join-Path $ca 'issuing.req') -CA $root -CAkey (Join-Path $ca 'root.key') -CAcreateserial -days 1825 -extfile (Join-Path $ca 'ca.cnf') -out $issuing

    $servers = 'fe01', 'fe02'
    foreach ($server in $servers) {
        $store = Join-Path $WorkFolder $server
        $null = New-Item -ItemType Directory -Force $store
        Write-Host "`n== $server.contoso.com: request, CA, complete, assign" -ForegroundColor Cyan
        $request = New-OcsCertificateRequest -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com, fabrikam.com -AutomaticSignIn `
            -IncludeMachineName -MachineFqdn "$server.contoso.com" -FriendlyName 'OCS pool01' -KeyAlgorithm ECDSA_P256 `
            -Organization Contoso -Country US -State Washington -City Redmond -OutFile (Join-Path $store 'pool01.req') -StorePath $store
        # The CA signs the request, keeping its names and usages, and answers with a PKCS#7 bundle.
        Invoke-OpenSsl x509 -req -in $request.OutFile -CA $issuing -CAkey (Join-Path $ca 'issuing.key') -CAcreateserial -days 365 -copy_extensions copy -out (Join-Path $store 'pool01.cer')
        Invoke-OpenSsl crl2pkcs7 -nocrl -certfile (Join-Path $store 'pool01.cer') -certfile $issuing -out (Join-Path $store 'pool01.p7b')
        $certificate = Complete-OcsCertificateRequest -Path (Join-Path $store 'pool01.p7b') -StorePath $store
        Show ($certificate | Set-OcsCertificate -Role FrontEnd, WebConferencing, AudioVideo -TrustAnchorPath $root)
    }

    Write-Host "== fe02 serves its live Front End certificate and demands one from its peers (openssl s_server -Verify)" -ForegroundColor Cyan
    $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $live = Join-Path $WorkFolder 'fe02/live/FrontEnd'
    $peer = Start-Process openssl -PassThru -RedirectStandardOutput (Join-Path $WorkFolder 's_server.log') -RedirectStandardError (Join-Path $WorkFolder 's_server.err') -ArgumentList @(
        's_server', '-accept', "127.0.0.1:$port", '-cert', (Join-Path $live 'cert.pem'), '-cert_chain', (Join-Path $live 'chain.pem'),
        '-key', (Join-Path $live 'key.pem'), '-CAfile', $root, '-Verify', '2', '-verify_return_error', '-quiet')
    foreach ($attempt in 1..50) {
        try { $probe = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $probe.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
    }

    Write-Host "`n== fe01 proves mutual TLS with fe02 (Test-OcsCertificate -Peer)" -ForegroundColor Cyan
    $checks = Test-OcsCertificate -Role FrontEnd -Peer "127.0.0.1:$port" -PeerName pool01.contoso.com -TrustAnchorPath $root -StorePath (Join-Path $WorkFolder 'fe01')
    Show $checks
    $failed = @($checks | Where-Object { -not $_.Passed })
    if ($failed) { throw "Checks failed: $($failed.Check -join ', ')" }
    Write-Host "All $($checks.Count) checks passed: fe01 and fe02 trust each other's certificates." -ForegroundColor Green
}
finally {
    if ($peer -and -not $peer.HasExited) { $peer.Kill() }
    if ($throwaway) { Remove-Item -Recurse -Force $WorkFolder -ErrorAction SilentlyContinue }
}
