#!/bin/sh
# make security (issue 12, "Also"): the attack run against fresh
# `biebsync serve` processes on loopback, its figures written into
# SECURITY.md between the "make security" marker comments (a rerun
# replaces them).  The parts (scripts/security/run.mjs): sqlmap against
# every form, slowhttptest (slow headers, slow body) with a /healthz probe
# from 127.0.0.2, scripts/testssl.sh, a memory flood (100 slow anonymous
# 10 MB uploads), thread floods (48 parallel logins, 8 parallel zip bombs),
# scripts/hardening.sh and scripts/unitcheck.sh.
#   sh scripts/security.sh [BINARY]     default build/biebsync
# `make security` installs the tools first (sh scripts/deps.sh security)
# and builds.  Traffic goes only to 127.0.0.1 and 127.0.0.2; the whole run
# is cut off after 14 minutes.  The sqlmap logs stay in build/security/.
# Exit 0 when every part ran, 1 when one failed, 77 when a tool is missing.
set -u
cd "$(dirname "$0")/.." || exit 1
bin=${1:-build/biebsync}
for tool in node sqlmap slowhttptest curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "security: $tool is not installed (sh scripts/deps.sh security)"
		exit 77
	fi
done
if [ ! -x "$bin" ]; then
	echo "security: $bin is not built (make)"
	exit 1
fi
start=$(date +%s)
timeout -k 10 840 node scripts/security/run.mjs "$bin"
rc=$?
echo "security: $(($(date +%s) - start)) s; the figures are in SECURITY.md"
[ $rc -eq 124 ] && echo "security: cut off after 14 minutes"
exit $rc
