#!/bin/sh
# with-own-hosts.sh <command> [args...]: runs the command with a private /etc/hosts, so the pool
# lab (examples/PoolHosts.psm1) can add its member names for this process tree only. In a new
# mount namespace (private propagation, nothing reaches the machine's mounts) a copy of
# /etc/hosts is bind-mounted over /etc/hosts; OCSCERT_POOL_HOSTS_FILE names the copy.
# Needs root (or CAP_SYS_ADMIN).
set -eu
if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi
if [ "${OCSCERT_WITH_OWN_HOSTS_INNER:-}" != 1 ]; then
    # Copies left by runs that were killed (the name carries the PID of the script that made it).
    for stale in "${TMPDIR:-/tmp}"/ocscert-hosts.*.*; do
        [ -f "$stale" ] || continue
        owner="${stale#"${TMPDIR:-/tmp}"/ocscert-hosts.}"
        owner="${owner%%.*}"
        kill -0 "$owner" 2>/dev/null || rm -f "$stale"
    done
    copy="$(mktemp "${TMPDIR:-/tmp}/ocscert-hosts.$$.XXXXXX")"
    cp /etc/hosts "$copy"
    chmod 644 "$copy"
    # The copy goes when the command ends (the mount namespace goes with it); a signal to this
    # script is passed on to the command.
    # (stdin through fd 3: an asynchronous command's own stdin would be /dev/null.)
    exec 3<&0
    OCSCERT_WITH_OWN_HOSTS_INNER=1 OCSCERT_POOL_HOSTS_FILE="$copy" \
        unshare --mount --propagation private -- "$0" "$@" <&3 3<&- &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
    status=0
    while :; do
        wait "$child" && status=0 || status=$?
        kill -0 "$child" 2>/dev/null || break
    done
    rm -f "$copy"
    exit "$status"
fi
unset OCSCERT_WITH_OWN_HOSTS_INNER
mount --bind "$OCSCERT_POOL_HOSTS_FILE" /etc/hosts
export OCSCERT_POOL_HOSTS_FILE
exec "$@"
