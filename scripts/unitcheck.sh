#!/bin/sh
# Check the systemd unit docs/biebsync.service with `systemd-analyze
# security --offline=true` (no running systemd needed): the overall exposure
# must be at most 2.0 (issue 12; the figure is recorded in SECURITY.md),
# and `systemd-analyze verify` must have nothing to say about it.
#   sh scripts/unitcheck.sh
# Prints the exposure; exit 0 when it is at most 2.0, 1 when it is higher or
# cannot be read, 77 when systemd-analyze is not installed.  Run by
# scripts/lint.sh.
set -u
cd "$(dirname "$0")/.."
MAX=2.0
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "unitcheck: systemd-analyze is not installed (package systemd)"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The unit as `make install` writes it, so the paths are real ones.
sed -e 's|@BINDIR@|/usr/local/bin|g' -e 's|@SYSCONFDIR@|/etc|g' \
	docs/biebsync.service >"$dir/biebsync.service"
out=$(cd "$dir" && systemd-analyze security --offline=true \
	--no-pager biebsync.service 2>&1)
level=$(echo "$out" | sed -n 's/.*Overall exposure level for biebsync.service: \([0-9.]*\).*/\1/p')
if [ -z "$level" ]; then
	echo "$out"
	echo "unitcheck: no exposure level in the output of systemd-analyze"
	exit 1
fi
# Every line must parse: `systemd-analyze verify` only warns about an
# unknown or misspelt setting, so any output fails.  verify wants
# ExecStart to be executable, so true(1) stands in for biebsync (this runs
# before anything is built, and a stand-in under /tmp would be hidden by
# the unit's own PrivateTmp).
mkdir -p "$dir/verify"
sed -e "s|@BINDIR@/biebsync|$(command -v true)|g" -e 's|@SYSCONFDIR@|/etc|g' \
	docs/biebsync.service >"$dir/verify/biebsync.service"
verify=$(systemd-analyze verify --man=no "$dir/verify/biebsync.service" 2>&1)
if [ -n "$verify" ]; then
	echo "$verify"
	echo "unitcheck: systemd-analyze verify complains about docs/biebsync.service"
	exit 1
fi
if awk -v l="$level" -v m="$MAX" 'BEGIN { exit !(l <= m) }'; then
	echo "unitcheck: docs/biebsync.service exposure $level (at most $MAX)"
	exit 0
fi
echo "$out" | grep -v '✓'
echo "unitcheck: docs/biebsync.service exposure $level, more than $MAX"
exit 1
