#!/usr/bin/env bash
# Runs the Windows native test program once under Wine (wine64) and reports
# its count as a line like the other suites':
#   Windows native tests under Wine: 150 tests, 140 passed, 10 skipped, 0 failed
# The CA servers the tests start (Pebble, pebble-challtestsrv, scepserver) are
# Linux programs; the test program reaches them through a process broker on
# Linux loopback (tests/native/wine/process_broker.cpp), named to it in
# OCSCERT_TEST_PROCESS_BROKER. Extra arguments go to the test program
# (e.g. --gtest_filter=RequestStore.*).
#
# Environment: OCSCERT_WINDOWS_TOOLS (the Wine prefix lives there, made once),
# OCSCERT_WINDOWS_BUILD (where the broker is built).
set -euo pipefail

exe="$1"; shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${OCSCERT_WINDOWS_TOOLS:-$root/.tools/win-x64}"
build="${OCSCERT_WINDOWS_BUILD:-$root/build/win-x64}"

wine="$(command -v wine64 || true)"
[ -n "$wine" ] || wine=/usr/lib/wine/wine64
export WINEPREFIX="$tools/wineprefix" WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko installers: the test program needs neither.
export WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "windows: making a Wine prefix in $WINEPREFIX" >&2
    "$wine" wineboot --init >/dev/null 2>&1
    "$(dirname "$wine")/wineserver" -w 2>/dev/null || wineserver -w 2>/dev/null || true
fi

# openssl.exe (the tests' offline CA) reads its configuration from here.
export OPENSSL_CONF="Z:${tools//\//\\}\\openssl\\ssl\\openssl.cnf"

# The broker runs these Linux programs, and only these: the CA servers, and the
# shell and systemd-analyze that read back the cron and systemd files the
# renewal job is registered with (by the paths the tests name them).
mkdir -p "$build"
broker="$build/process_broker"
if [ ! -x "$broker" ] || [ "$root/tests/native/wine/process_broker.cpp" -nt "$broker" ]; then
    g++ -std=c++17 -O1 -Wall -o "$broker" "$root/tests/native/wine/process_broker.cpp"
fi
programs=()
for p in pebble pebble-challtestsrv scepserver; do programs+=("$(command -v "$p")"); done
programs+=(/bin/sh)
for p in /usr/bin/systemd-analyze /bin/systemd-analyze; do [ -x "$p" ] && programs+=("$p"); done
coproc BROKER { exec "$broker" "${programs[@]}"; }
broker_pid=$BROKER_PID
trap 'kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true' EXIT
read -r broker_port <&"${BROKER[0]}"
export OCSCERT_TEST_PROCESS_BROKER="127.0.0.1:$broker_port"

log="$build/wine-tests.log"
started=$(date +%s)
set +e
"$wine" "$exe" "$@" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
seconds=$(( $(date +%s) - started ))

# The counts from GoogleTest's summary.
count() { sed -n "s/^\[  $1  *\] \([0-9][0-9]*\) tests\{0,1\}[.,].*/\1/p" "$log" | tail -n 1; }
total="$(sed -n 's/^\[==========\] \([0-9][0-9]*\) tests\{0,1\} from .* ran\..*/\1/p' "$log" | tail -n 1)"
passed="$(count PASSED)"; skipped="$(count SKIPPED)"
failed=$(( ${total:-0} - ${passed:-0} - ${skipped:-0} ))  # --gtest_brief prints no failed count
echo "Windows native tests under Wine: ${total:-?} tests, ${passed:-0} passed, ${skipped:-0} skipped, ${failed:-0} failed (${seconds} s; log: $log)"
if [ -z "$total" ] || [ "$code" -ne 0 ]; then
    echo "Windows native tests under Wine failed (exit code $code)" >&2
    exit 1
fi
