#!/usr/bin/env bash
# Runs the Windows native test program under Wine (wine64), every test once,
# split over parallel runs, and reports the count as a line like the other suites':
#   Windows native tests under Wine: 248 tests, 241 passed, 7 skipped, 0 failed (...)
# The CA servers the tests start (Pebble, pebble-challtestsrv, scepserver) are
# Linux programs; the test program reaches them through a process broker on
# Linux loopback (tests/native/wine/process_broker.cpp), named to it in
# OCSCERT_TEST_PROCESS_BROKER. Extra arguments go to the test program
# (e.g. --gtest_filter=RequestStore.*).
#
# Environment: OCSCERT_WINDOWS_TOOLS (the Wine prefix lives there: cmake/windows/wine.sh),
# OCSCERT_WINDOWS_BUILD (where the broker is built), OCSCERT_WINE_SHARDS (the
# number of parallel runs, default 2).
set -euo pipefail

exe="$1"; shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${OCSCERT_WINDOWS_TOOLS:-$root/.tools/win-x64}"
build="${OCSCERT_WINDOWS_BUILD:-$root/build/win-x64}"

. "$root/cmake/windows/wine.sh"
ensure_wine_prefix

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

# The suite in OCSCERT_WINE_SHARDS parallel runs (GoogleTest's sharding; default
# 2): most of the time under Wine is spent starting processes (openssl.exe, the
# child runs) and waiting for servers, not computing. Each run's output goes to
# its own log, printed once all have ended.
shards="${OCSCERT_WINE_SHARDS:-2}"
started=$(date +%s)
pids=()
for ((i = 0; i < shards; i++)); do
    GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i "$wine" "$exe" "$@" >"$build/wine-tests.$i.log" 2>&1 &
    pids+=($!)
done
code=0
for pid in "${pids[@]}"; do wait "$pid" || code=$?; done
seconds=$(( $(date +%s) - started ))

# The counts from GoogleTest's summaries.
total=0 passed=0 skipped=0 summaries=0
count() { sed -n "s/^\[  $1  *\] \([0-9][0-9]*\) tests\{0,1\}[.,].*/\1/p" "$2" | tail -n 1; }
for ((i = 0; i < shards; i++)); do
    log="$build/wine-tests.$i.log"
    ((shards == 1)) || echo "---- Windows native tests under Wine, part $((i + 1)) of $shards ($log)"
    cat "$log"
    n="$(sed -n 's/^\[==========\] \([0-9][0-9]*\) tests\{0,1\} from .* ran\..*/\1/p' "$log" | tail -n 1)"
    [ -n "$n" ] && summaries=$((summaries + 1))
    total=$((total + ${n:-0}))
    p="$(count PASSED "$log")"; s="$(count SKIPPED "$log")"
    passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
done
failed=$((total - passed - skipped))  # --gtest_brief prints no failed count
echo "Windows native tests under Wine: $total tests, $passed passed, $skipped skipped, $failed failed (${seconds} s in $shards parallel runs; logs: $build/wine-tests.*.log)"
if ((summaries != shards)) || [ "$code" -ne 0 ]; then
    echo "Windows native tests under Wine failed (exit code $code)" >&2
    exit 1
fi

# International names: the Windows build (its own libidn2) against python's idna
# package, as the Linux suite's native.idna_matches_python does for the Linux build.
probe="$(dirname "$exe")/ocscert_idna_probe.exe"
if [ ! -f "$probe" ]; then
    echo "International names under Wine: not run, $probe was not built" >&2
    exit 1
elif ! /usr/bin/python3 -I -c 'import idna' 2>/dev/null; then
    echo "International names under Wine: not run, /usr/bin/python3 has no idna package (Debian: python3-idna)" >&2
    exit 1
fi
wrapper="$build/idna-probe-under-wine.sh"
printf '#!/bin/sh\nexec "%s" "%s"\n' "$wine" "$probe" >"$wrapper"
chmod +x "$wrapper"
if ! idna_result="$(/usr/bin/python3 -I "$root/tests/native/names/compare_idna_with_python.py" "$wrapper" 2>&1)"; then
    echo "$idna_result"
    echo "International names under Wine: the Windows build differs from python's idna" >&2
    exit 1
fi
echo "International names under Wine: ${idna_result//$'\n'/; }"
