#!/bin/sh
# Check a release binary's hardening with Debian's hardening-check
# (devscripts): PIE, stack protector, _FORTIFY_SOURCE, full RELRO, BIND_NOW,
# control-flow protection and stack clash protection (issue 12, point 11).
#   sh scripts/hardening.sh [BINARY]     default build/biebsync
# Exit 0 when every check passes, 1 when one fails, 77 when hardening-check
# is not installed (`sh scripts/deps.sh test` installs it).
#
# hardening-check finds stack clash protection only in the probe loop of a
# frame of variable size, and biebsync has none (VLAs are banned), so it
# says "unknown"; then the compiler's record of its options in the debug
# information must show -fstack-clash-protection for every unit.
set -u
cd "$(dirname "$0")/.."
bin=${1:-build/biebsync}
if ! command -v hardening-check >/dev/null 2>&1; then
	echo "hardening: hardening-check is not installed (package devscripts)"
	exit 77
fi
out=$(hardening-check "$bin" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || {
	echo "hardening: hardening-check failed on $bin"
	exit 1
}
if echo "$out" | grep -q 'Stack clash protection: unknown'; then
	units=$(readelf --debug-dump=info "$bin" 2>/dev/null |
		grep 'DW_AT_producer' | grep -c -- '-fstack-protector-strong')
	without=$(readelf --debug-dump=info "$bin" 2>/dev/null |
		grep 'DW_AT_producer' | grep -- '-fstack-protector-strong' |
		grep -c -v -- '-fstack-clash-protection')
	if [ "$units" -eq 0 ] || [ "$without" -ne 0 ]; then
		echo "hardening: $without of $units units of $bin were" \
			"compiled without -fstack-clash-protection"
		exit 1
	fi
	echo " Stack clash protection: yes (-fstack-clash-protection in all" \
		"$units units)"
fi
echo "hardening: ok"
