#!/usr/bin/env pwsh
<#
.SYNOPSIS
Times request generation through the cmdlet against the openssl CLI doing the same job, in the same run.

.DESCRIPTION
Both sides make a new key and a signed PKCS#10 request with the same subject and SANs
and write it to a file. The cmdlet also validates every input, resolves the names and
stores the key durably (fsync + rename); openssl only writes two files. Reports the
median milliseconds per request and the ratio cmdlet / openssl. RSA key generation
varies a lot (random prime search), so RSA runs use more samples and the median.
Run: ./build.ps1 bench
#>
param([int] $EcSamples = 40, [int] $RsaSamples = 41)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../../module/OcsCertificate/OcsCertificate.psd1') -Force

$work = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-bench-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
$null = New-Item -ItemType Directory $work
$store = Join-Path $work 'store'

function Get-Median([double[]] $values) {
    $sorted = $values | Sort-Object
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

function Measure-Samples([int] $count, [scriptblock] $body) {
    $body.Invoke(0) | Out-Null  # warm-up
    Get-Median (1..$count | ForEach-Object { (Measure-Command { $body.Invoke($_) | Out-Null }).TotalMilliseconds })
}

$cases = @(
    @{ Name = 'ECDSA P-256'; Samples = $EcSamples; Cmdlet = @{ KeyAlgorithm = 'ECDSA_P256' }; OpenSsl = @('-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256') }
    @{ Name = 'RSA 2048'; Samples = $RsaSamples; Cmdlet = @{ KeyAlgorithm = 'RSA'; KeySize = 2048 }; OpenSsl = @('-newkey', 'rsa:2048') }
)
try {
    $rows = foreach ($case in $cases) {
        $cmdlet = Measure-Samples $case.Samples {
            param($i)
            $keyArgs = $case.Cmdlet
            New-OcsCertificateRequest -PoolFqdn pool01.contoso.com -SipDomain contoso.com, fabrikam.com -AutomaticSignIn `
                -Organization Contoso -Country US -State Washington -City Redmond @keyArgs `
                -OutFile (Join-Path $work "ocs-$i.req") -Force -StorePath $store
        }
        $openssl = Measure-Samples $case.Samples {
            param($i)
            & openssl req -new @($case.OpenSsl) -nodes -sha256 -keyout (Join-Path $work "openssl-$i.key") -out (Join-Path $work "openssl-$i.req") `
                -subj '/C=US/ST=Washington/L=Redmond/O=Contoso/CN=pool01.contoso.com' `
                -addext 'subjectAltName=DNS:pool01.contoso.com,DNS:sip.contoso.com,DNS:sip.fabrikam.com' `
                -addext 'extendedKeyUsage=serverAuth,clientAuth' 2>$null
            if ($LASTEXITCODE -ne 0) { throw 'openssl req failed' }
        }
        [pscustomobject]@{
            Key                 = $case.Name
            Samples             = $case.Samples
            'Cmdlet ms'         = [math]::Round($cmdlet, 1)
            'openssl CLI ms'    = [math]::Round($openssl, 1)
            'Cmdlet / openssl'  = [math]::Round($cmdlet / $openssl, 2)
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 120
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
