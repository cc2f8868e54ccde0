#!/usr/bin/env bash
# build.ps1 - build, test and demo OcsCert: ./build.ps1 [build|test|demo|bench|clean]
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
packages=(cmake ninja-build g++ pkg-config openssl libssl-dev libmsgsl-dev nlohmann-json3-dev libgtest-dev
          libcurl4-openssl-dev libidn2-dev python3-idna curl pebble scep cron openssh-server)
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

function Invoke-Build {
    # Run as a .NET tool, this process is 'dotnet', so the pwsh path comes from the bash part or .tools/.
    $pwsh = @($env:OCSCERT_PWSH, (Join-Path $Tools 'pwsh/pwsh'), (Get-Command pwsh -ErrorAction SilentlyContinue).Source) |
        Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    Invoke-Native cmake @('--preset', 'default', "-DOCSCERT_PWSH=$pwsh", "-DOCSCERT_PESTER=$(Get-Pester)")
    Invoke-Native cmake @('--build', '--preset', 'default', '--parallel')
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' {
        Invoke-Build
        Invoke-Native ctest @('--preset', 'default', '--parallel', '2')
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
        & (Join-Path $Root 'tests/bench/Measure-RequestGeneration.ps1')
        & (Join-Path $Root 'tests/bench/Measure-AcmeIssuance.ps1')
        Invoke-Native (Join-Path $Root 'tests/pool/with-own-hosts.sh') @($env:OCSCERT_PWSH, '-NoProfile', '-File', (Join-Path $Root 'tests/bench/Measure-PoolCommands.ps1'))
    }
    'clean' { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $Root 'build'), (Join-Path $Root 'module/OcsCertificate/bin') }
    default { throw "Unknown task '$Task'. Tasks: build, test, demo, bench, clean." }
}
