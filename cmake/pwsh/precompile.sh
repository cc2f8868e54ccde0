#!/usr/bin/env bash
# Precompiles the PowerShell that build.ps1 installs (the NuGet `PowerShell` .NET tool) to native
# code with crossgen2, as Microsoft's own PowerShell packages are. The NuGet tool ships IL only, so
# without this every pwsh start JIT-compiles the engine: about twice the start-up time of the
# PowerShell an admin installs on Windows (MSI) or Linux (deb, tar.gz), which would make the tests
# slower and the benchmark's per-process figures wrong for real use.
#
# ./precompile.sh <tool-path>   (e.g. .tools/pwsh). Idempotent: a marker file records the
# runtime compiled against. Any failure leaves the IL assemblies in place (slower, never broken).
set -euo pipefail
tool_path="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
[ "$(uname -m)" = x86_64 ] || { echo "precompile: only x64 is set up; PowerShell stays IL-only" >&2; exit 0; }

runtime="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ { v = $2; d = $3 } END { if (v) print d "/" v }' | tr -d '[]')"
[ -d "$runtime" ] || { echo "precompile: no .NET 10 runtime found; PowerShell stays IL-only" >&2; exit 0; }
app="$(ls -d "$tool_path"/.store/powershell/*/powershell/*/tools/net*/any/unix 2>/dev/null | head -n 1)"
[ -d "$app" ] || { echo "precompile: no PowerShell tool under $tool_path" >&2; exit 0; }
marker="$app/.ocscert-precompiled"
[ -f "$marker" ] && [ "$(cat "$marker")" = "$runtime" ] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/Crossgen2.csproj" "$work/"
if ! dotnet restore "$work/Crossgen2.csproj" >"$work/restore.log" 2>&1; then
    echo "precompile: could not fetch crossgen2 from NuGet; PowerShell stays IL-only:" >&2
    tail -n 5 "$work/restore.log" >&2
    exit 0
fi
# The version the SDK chose is in the restore's assets file; the package is in NuGet's global folder.
version="$(tr -d ' \n' <"$work/obj/project.assets.json" | grep -o '"Microsoft.NETCore.App.Crossgen2.linux-x64","version":"\[[0-9.]*' | grep -o '[0-9.]*$' | head -n 1)"
packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
crossgen2="$packages/microsoft.netcore.app.crossgen2.linux-x64/$version/tools/crossgen2"
[ -x "$crossgen2" ] || { echo "precompile: crossgen2 not found after restore; PowerShell stays IL-only" >&2; exit 0; }

echo "Precompiling PowerShell's assemblies with crossgen2 $version" >&2
compiled=0
for dll in "$app"/*.dll "$app"/Modules/*/*.dll; do
    # An assembly that is already native code, or not managed at all, is refused; it stays as it is.
    if "$crossgen2" "$dll" -o "$dll.r2r" -O --targetos linux --targetarch x64 \
           -r "$runtime/*.dll" -r "$app/*.dll" >"$work/crossgen.log" 2>&1; then
        mv -f "$dll.r2r" "$dll"   # beside it: replaced in one step, so a pwsh never sees half a file
        compiled=$((compiled + 1))
    else
        rm -f "$dll.r2r"
    fi
done
echo "$runtime" >"$marker"
echo "Precompiled $compiled assemblies" >&2
