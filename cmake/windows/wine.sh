# Sourced by build.sh and run-tests.sh (which set $tools): the Wine that runs the Windows test
# program, its prefix (in $tools/wineprefix, made once) and ensure_wine_prefix, which makes it.
wine="$(command -v wine64 || true)"
[ -n "$wine" ] || wine=/usr/lib/wine/wine64
export WINEPREFIX="$tools/wineprefix" WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko installers: the test program needs neither.
export WINEDLLOVERRIDES="mscoree,mshtml="

# A new prefix takes Wine most of a minute, nearly all of it waiting, so build.sh makes it
# beside the cross build rather than the test run doing it first.
ensure_wine_prefix() {
    [ -f "$WINEPREFIX/system.reg" ] && return
    echo "windows: making a Wine prefix in $WINEPREFIX" >&2
    "$wine" wineboot --init >/dev/null 2>&1
    "$(dirname "$wine")/wineserver" -w 2>/dev/null || wineserver -w 2>/dev/null || true
}
