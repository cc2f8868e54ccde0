#!/usr/bin/env bash
# build.ps1 - build, test and demo OcsCert: ./build.ps1 [build|test|windows|package|demo|bench|fuzz [seconds]|clean]
#
# This one file is both a bash script and a PowerShell script, so that
# `./build.ps1 test` works on a fresh Debian machine that has no PowerShell yet:
#  - bash runs the part between the markers below: it installs the Debian
#    packages the project needs (when missing), installs PowerShell 7 as a .NET
#    tool into .tools/pwsh (when missing), then runs this file again with it;
#  - PowerShell skips that part as a comment block and runs the rest.
echo --% >/dev/null;: ' | Out-Null
<#'
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
# clang and its runtimes (libFuzzer, the sanitizers) build the fuzz targets.
packages=(cmake ninja-build g++ pkg-config openssl libssl-dev libmsgsl-dev nlohmann-json3-dev libgtest-dev
          libcurl4-openssl-dev libidn2-dev python3-idna curl pebble scep cron openssh-server clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# The bench task also times other ACME clients; the test task never needs them. One that will not
# install is skipped by the benchmark, which says so.
if [ "${1:-}" = bench ]; then
    peers=()
    for p in uacme lego certbot; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || peers+=("$p")
    done
    if ((${#peers[@]})); then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        echo "Installing the benchmark's peers: ${peers[*]}" >&2
        { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${peers[@]}"; } >&2 ||
            echo "Could not install ${peers[*]}; the benchmark skips what is missing." >&2
    fi
fi
pwsh="${OCSCERT_PWSH:-$root/.tools/pwsh/pwsh}"
if [ ! -x "$pwsh" ]; then
    echo "Installing PowerShell 7.6.9 into .tools/pwsh (dotnet tool)" >&2
    dotnet tool install --tool-path "$root/.tools/pwsh" PowerShell --version 7.6.9 >&2
fi
# Microsoft's own PowerShell packages are precompiled to native code; the NuGet tool is not.
if [ "$pwsh" = "$root/.tools/pwsh/pwsh" ]; then
    "$root/cmake/pwsh/precompile.sh" "$root/.tools/pwsh" || echo "Could not precompile PowerShell; it runs as IL, slower." >&2
fi
export OCSCERT_PWSH="$pwsh"  # CTest runs the PowerShell suite with the same pwsh
exec "$pwsh" -NoProfile -NonInteractive -File "$0" "$@"
#>

# ---- PowerShell part ----------------------------------------------------------
# (No param block: bash's lines above must come first; the task is the first argument.)
$ErrorActionPreference = 'Stop'
$Task = if ($args.Count -gt 0) { $args[0] } else { 'build' }
$Root = $PSScriptRoot
$Tools = Join-Path $Root '.tools'
$PesterVersion = '5.7.1'

function Invoke-Native([string] $Exe, [string[]] $Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Exe $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# Pester comes from NuGet through a throwaway project that only downloads it.
function Get-Pester {
    $manifest = Join-Path $Tools "nuget/pester/$PesterVersion/tools/Pester.psd1"
    if (Test-Path $manifest) { return $manifest }
    $restore = Join-Path $Tools 'restore'
    $null = New-Item -ItemType Directory -Force $restore
    Set-Content -Path (Join-Path $restore 'restore.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PesterVersion]" /></ItemGroup>
</Project>
"@
    Invoke-Native dotnet @('restore', (Join-Path $restore 'restore.csproj'), '--packages', (Join-Path $Tools 'nuget'), '-v', 'quiet')
    return $manifest
}

# Run as a .NET tool, this process is 'dotnet', so the pwsh path comes from the bash part or .tools/.
function Get-Pwsh {
    @($env:OCSCERT_PWSH, (Join-Path $Tools 'pwsh/pwsh'), (Get-Command pwsh -ErrorAction SilentlyContinue).Source) |
        Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}

function Invoke-Build {
    Invoke-Native cmake @('--preset', 'default', "-DOCSCERT_PWSH=$(Get-Pwsh)", "-DOCSCERT_PESTER=$(Get-Pester)")
    Invoke-Native cmake @('--build', '--preset', 'default', '--parallel')
}

# The Windows library and native test program, cross-built with mingw-w64 and
# run under Wine (cmake/windows/build.sh; its dependencies are built once into .tools/win-x64).
$WindowsBuild = if ($env:OCSCERT_WINDOWS_BUILD) { $env:OCSCERT_WINDOWS_BUILD } else { Join-Path $Root 'build/win-x64' }
function Invoke-WindowsTest {
    $env:OCSCERT_PESTER = Get-Pester
    Invoke-Native bash @((Join-Path $Root 'cmake/windows/build.sh'), 'test')
}

# The cross build (and, on a fresh machine, its dependencies and the Wine prefix) needs no
# test run: it runs beside the Linux build and suites, at a lower priority so their timing
# is not disturbed. Its output goes to a log.
function Start-WindowsBuild {
    $env:OCSCERT_PESTER = Get-Pester
    $log = Join-Path $Root 'build/win-x64.log'
    $null = New-Item -ItemType Directory -Force (Split-Path $log)
    $command = @('bash', (Join-Path $Root 'cmake/windows/build.sh'), 'test-build')
    if (Get-Command nice -CommandType Application -ErrorAction SilentlyContinue) { $command = @('nice', '-n', '10') + $command }
    Write-Host "Windows build started beside the tests (log: $log)"
    $process = Start-Process -FilePath $command[0] -ArgumentList $command[1..($command.Count - 1)] -PassThru `
        -RedirectStandardOutput $log -RedirectStandardError "$log.err"
    [pscustomobject]@{ Process = $process; Log = $log; Started = Get-Date }
}

function Stop-WindowsBuild($Build) {
    if (-not $Build.Process.HasExited) {
        Write-Host 'Stopping the Windows build'
        $Build.Process.Kill($true)  # the whole tree: nice, bash, cmake, ninja and the compilers
    }
}

function Wait-WindowsBuild($Build) {
    $Build.Process.WaitForExit()
    $seconds = [int] ((Get-Date) - $Build.Started).TotalSeconds
    if ($Build.Process.ExitCode -ne 0) {
        Get-Content -Tail 30 "$($Build.Log).err", $Build.Log -ErrorAction SilentlyContinue | Write-Host
        throw "The Windows build failed with exit code $($Build.Process.ExitCode) after $seconds s (log: $($Build.Log))."
    }
    Write-Host "Windows build done in $seconds s, beside the tests"
}

# One module folder for both systems, laid out as PSWSMan's: the interop assembly
# in bin/, each system's native library in bin/<rid>/ (the interop picks the one
# for the running platform and architecture). Debug information is stripped from
# the copies (it is most of each file). Then the folder as a .nupkg, which
# Install-PSResource and Install-Module take from a repository (a folder of .nupkg files).
$PackageDir = Join-Path $Root 'build/package'
function Invoke-Package {
    $env:OCSCERT_PESTER = Get-Pester
    Invoke-Native bash @((Join-Path $Root 'cmake/windows/build.sh'), 'build')
    if (Test-Path $PackageDir) { Remove-Item -Recurse -Force $PackageDir }
    $module = Join-Path $PackageDir 'OcsCertificate'
    $source = Join-Path $Root 'module/OcsCertificate'
    $null = New-Item -ItemType Directory -Force (Join-Path $module 'bin/linux-x64'), (Join-Path $module 'bin/win-x64')
    Get-ChildItem -Force $source | Where-Object Name -ne 'bin' | Copy-Item -Destination $module -Recurse
    Copy-Item (Join-Path $source 'bin/OcsCertificate.Interop.dll'), (Join-Path $source 'bin/OcsCertificate.Functions.ps1') (Join-Path $module 'bin')
    Invoke-Native strip @('--strip-debug', '-o', (Join-Path $module 'bin/linux-x64/libocscert.so'), (Join-Path $source 'bin/linux-x64/libocscert.so'))
    Invoke-Native x86_64-w64-mingw32-strip @('--strip-debug', '-o', (Join-Path $module 'bin/win-x64/ocscert.dll'), (Join-Path $WindowsBuild 'bin/ocscert.dll'))
    # The interop precompiled for each system the package carries (the .psm1 loads it from bin/<rid>/).
    Copy-Item (Join-Path $source 'bin/linux-x64/OcsCertificate.Interop.dll') (Join-Path $module 'bin/linux-x64')
    Copy-Item (Join-Path $WindowsBuild 'interop/OcsCertificate.Interop.dll') (Join-Path $module 'bin/win-x64')
    Compress-PSResource -Path $module -DestinationPath $PackageDir
    $nupkg = Get-ChildItem (Join-Path $PackageDir '*.nupkg')
    if (@($nupkg).Count -ne 1) { throw "Compress-PSResource made no single .nupkg in '$PackageDir'." }
    Write-Host "Module folder: $module"
    Write-Host "Package:       $($nupkg.FullName) ($([math]::Round($nupkg.Length / 1MB, 1)) MB)"
}

# The package's own tests (tests/package): both libraries inside; installed from
# a local repository with Install-PSResource and Install-Module, then imported.
function Invoke-PackageTest {
    $env:OCSCERT_PACKAGE_DIR = $PackageDir
    Invoke-Native (Get-Pwsh) @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/module/Invoke-ModuleTest.ps1'),
        '-Pester', (Get-Pester), '-Path', (Join-Path $Root 'tests/package/Package.Tests.ps1'))
}

# The libFuzzer targets (tests/fuzz), built with clang and the sanitizers in build/fuzz, each run
# for $Seconds through CTest (two at a time); then what each did, from CTest's log.
function Invoke-Fuzz([int] $Seconds) {
    Invoke-Native cmake @('--preset', 'fuzz', "-DOCSCERT_FUZZ_SECONDS=$Seconds")
    Invoke-Native cmake @('--build', '--preset', 'fuzz', '--parallel')
    & ctest --preset fuzz --parallel 2
    $failed = $LASTEXITCODE
    $log = Get-Content -Raw (Join-Path $Root 'build/fuzz/Testing/Temporary/LastTest.log')
    foreach ($run in [regex]::Split($log, '(?m)^\d+/\d+ Testing: ') | Select-Object -Skip 1) {
        $name = ($run -split '\s', 2)[0]
        $done = [regex]::Match($run, 'Done (\d+) runs in (\d+) second')
        $crash = [regex]::Match($run, '(?m)^SUMMARY: .*|deadly signal|Fuzz check failed: .*')
        if ($done.Success) {
            $runs = [long]$done.Groups[1].Value
            $secs = [math]::Max(1, [long]$done.Groups[2].Value)
            Write-Host ('{0,-18} {1,12:N0} runs in {2,5} s ({3,8:N0}/s){4}' -f $name, $runs, $secs, ($runs / $secs), $(if ($crash.Success) { "  $($crash.Value)" }))
        }
        else {
            Write-Host ('{0,-18} stopped: {1}' -f $name, $(if ($crash.Success) { $crash.Value } else { 'see build/fuzz/Testing/Temporary/LastTest.log' }))
        }
    }
    if ($failed -ne 0) { throw "A fuzz target found a crash; its input is in build/fuzz/tests/fuzz/artifacts/." }
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' {
        $windows = Start-WindowsBuild
        $built = $false
        $suitesEnded = $false
        try {
            Invoke-Build
            $built = $true
            Invoke-Native ctest @('--preset', 'default', '--parallel', '2')
            Invoke-Fuzz 10
            $suitesEnded = $true
        }
        catch { $suitesEnded = $true; throw }
        finally {
            # A failed suite still reports the Windows build. A failed Linux build, or Ctrl+C (which no
            # catch sees), stops it rather than waiting here for up to a quarter of an hour of compiling.
            if ($suitesEnded -and $built) { Wait-WindowsBuild $windows } else { Stop-WindowsBuild $windows }
        }
        Invoke-WindowsTest
        Invoke-Package
        Invoke-PackageTest
    }
    'windows' { Invoke-WindowsTest }
    'package' {
        Invoke-Build
        Invoke-Package
    }
    'demo' {
        Invoke-Build
        # The pool flow needs root and network namespaces for its three members; elsewhere the two-store flow runs.
        Import-Module (Join-Path $Root 'examples/PoolHosts.psm1')
        $why = Test-OcsPoolHostSupport
        if ($why) {
            Write-Host "The pool demo cannot run here ($why); running the two-store flow instead."
            & (Join-Path $Root 'examples/Online-PoolFlow.ps1')
        }
        else {
            Invoke-Native (Join-Path $Root 'tests/pool/with-own-hosts.sh') @($env:OCSCERT_PWSH, '-NoProfile', '-File', (Join-Path $Root 'examples/Pool-Flow.ps1'))
        }
    }
    'bench' {
        Invoke-Build
        Invoke-Native cmake @('--build', '--preset', 'default', '--target', 'ocscert_bench_issue')
        & (Join-Path $Root 'tests/bench/Measure-RequestGeneration.ps1')
        & (Join-Path $Root 'tests/bench/Measure-AcmeIssuance.ps1')
        Invoke-Native (Join-Path $Root 'tests/pool/with-own-hosts.sh') @($env:OCSCERT_PWSH, '-NoProfile', '-File', (Join-Path $Root 'tests/bench/Measure-PoolCommands.ps1'))
    }
    'fuzz' { Invoke-Fuzz $(if ($args.Count -gt 1) { [int]$args[1] } else { 60 }) }
    'clean' { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $Root 'build'), (Join-Path $Root 'module/OcsCertificate/bin') }
    default { throw "Unknown task '$Task'. Tasks: build, test, windows, package, demo, bench, fuzz [seconds], clean." }
}
