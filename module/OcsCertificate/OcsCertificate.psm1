# OcsCertificate: a thin PowerShell face on the native ocscert library.
# The logic (names, requests, store) lives in C++; these functions bind
# parameters, show progress and turn native errors into ErrorRecords.
#
# The import uses .NET calls, not Join-Path, Test-Path, Get-ChildItem or Add-Type: those would
# load the Management and Utility modules, which a fresh process then pays for on every start.

# The interop precompiled for this system (bin/<rid>/, beside the native library) when the module
# carries it, else the portable one in bin/.
$rid = '{0}-{1}' -f $(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }),
    [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
$interop = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $rid, 'OcsCertificate.Interop.dll')
if (-not [System.IO.File]::Exists($interop)) { $interop = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'OcsCertificate.Interop.dll') }
if (-not [System.IO.File]::Exists($interop)) {
    throw "OcsCertificate is not built: '$interop' is missing. Run './build.ps1 build' in the repository first."
}
$null = [System.Reflection.Assembly]::LoadFrom($interop)

# The functions: the build's merge of Private/ and Public/ when it is current, else each file
# (OcsCertificate.Interop.ModuleScripts says which, and why it is worked out there).
foreach ($script in [OcsCertificate.Interop.ModuleScripts]::ToLoad($PSScriptRoot)) { . $script }
