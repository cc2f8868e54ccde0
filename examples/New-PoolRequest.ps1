#!/usr/bin/env pwsh
<#
.SYNOPSIS
The Certificates Wizard's offline path for one Front End server of pool01, end to end.

.DESCRIPTION
Shows the names the certificate needs, creates the key and the request (kept in the
store as a pending request, written to a file for the CA), checks the file with the
openssl CLI, and lists the pending requests. Uses a throwaway store and output folder
unless -StorePath / -OutputFolder are given, and removes the throwaway ones afterwards.
#>
param(
    [string] $StorePath,
    [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../module/OcsCertificate/OcsCertificate.psd1') -Force

$throwaway = -not $StorePath
$work = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-example-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
if (-not $StorePath) { $StorePath = Join-Path $work 'store' }
if (-not $OutputFolder) { $OutputFolder = $work }
$null = New-Item -ItemType Directory -Force $OutputFolder
$requestFile = Join-Path $OutputFolder 'pool01.req'

try {
    $pool = @{
        Role               = 'FrontEnd'
        PoolFqdn           = 'pool01.contoso.com'
        SipDomain          = 'contoso.com', 'fabrikam.com'
        AutomaticSignIn    = $true
        IncludeMachineName = $true
        MachineFqdn        = 'fe01.contoso.com'
    }
    Write-Host "`n== Names the certificate needs" -ForegroundColor Cyan
    Resolve-OcsCertificateName @pool | Format-Table -Wrap | Out-String -Width 160 | Write-Host

    Write-Host "== New request (the key stays in the store, not exportable)" -ForegroundColor Cyan
    $request = New-OcsCertificateRequest @pool -FriendlyName 'OCS pool01' -KeySize 2048 `
        -Organization Contoso -OrganizationalUnit IT -Country US -State Washington -City Redmond `
        -OutFile $requestFile -StorePath $StorePath
    $request | Select-Object Id, Subject, KeyAlgorithm, KeySize, PrivateKeyExportable, OutFile | Format-List | Out-Host

    Write-Host "== The request file, as the CA will read it (openssl req -verify)" -ForegroundColor Cyan
    & openssl req -in $requestFile -noout -verify -text -reqopt 'no_version,no_pubkey,no_sigdump' 2>&1 | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "openssl could not verify $requestFile" }

    Write-Host "`n== Pending requests" -ForegroundColor Cyan
    Get-OcsCertificateRequest -StorePath $StorePath | Format-Table -Wrap | Out-String -Width 160 | Write-Host
}
finally {
    if ($throwaway) { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $work }
}
