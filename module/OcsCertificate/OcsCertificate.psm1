# OcsCertificate: a thin PowerShell face on the native ocscert library.
# The logic (names, requests, store) lives in C++; these functions bind
# parameters, show progress and turn native errors into ErrorRecords.
#
# The import uses .NET calls, not Join-Path, Test-Path, Get-ChildItem or Add-Type: those would
# load the Management and Utility modules, which a fresh process then pays for on every start.

$interop = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'OcsCertificate.Interop.dll')
if (-not [System.IO.File]::Exists($interop)) {
    throw "OcsCertificate is not built: '$interop' is missing. Run './build.ps1 build' in the repository first."
}
$null = [System.Reflection.Assembly]::LoadFrom($interop)

# The functions: bin/OcsCertificate.Functions.ps1, the build's merge of Private/ and Public/ (one
# file compiles faster than 29), when it is of exactly these files and none has changed since;
# otherwise each file.
# (Worked out in a child scope, so that no variable of it lingers in the module's scope.)
$scripts = & {
    $sources = [System.Collections.Generic.List[string]]::new()
    foreach ($folder in 'Private', 'Public') {
        $found = [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSScriptRoot, $folder), '*.ps1')
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $sources.AddRange($found)
    }
    $merged = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'OcsCertificate.Functions.ps1')
    if (-not [System.IO.File]::Exists($merged)) { return $sources }
    $built = [System.IO.File]::GetLastWriteTimeUtc($merged)
    $names = [System.Collections.Generic.List[string]]::new()
    foreach ($source in $sources) {
        if ([System.IO.File]::GetLastWriteTimeUtc($source) -gt $built) { return $sources }
        $names.Add($source.Substring($PSScriptRoot.Length + 1).Replace('\', '/'))
    }
    $reader = [System.IO.StreamReader]::new($merged)
    try { $first = $reader.ReadLine() }
    finally { $reader.Dispose() }
    if ($first -cne "# OcsCertificate.Functions: $($names -join ' ')") { return $sources }
    $merged
}
foreach ($script in $scripts) { . $script }
