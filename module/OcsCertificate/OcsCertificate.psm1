# OcsCertificate: a thin PowerShell face on the native ocscert library.
# The logic (names, requests, store) lives in C++; these functions bind
# parameters, show progress and turn native errors into ErrorRecords.

$interop = Join-Path $PSScriptRoot 'bin/OcsCertificate.Interop.dll'
if (-not (Test-Path -LiteralPath $interop)) {
    throw "OcsCertificate is not built: '$interop' is missing. Run './build.ps1 build' in the repository first."
}
Add-Type -LiteralPath $interop

foreach ($folder in 'Private', 'Public') {
    foreach ($script in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot $folder) -Filter '*.ps1') {
        . $script.FullName
    }
}
