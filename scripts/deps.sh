#!/bin/sh
# Install what biebsync needs on Debian 12, and nothing that is there already.
#   deps.sh run   packages to build and run the server
#   deps.sh test  also what the tests need (cmocka, Node.js, Chromium,
#                 hardening-check from devscripts, playwright-core from npm,
#                 PostgreSQL 15 for the throw-away cluster of tests/pg.sh)
#   deps.sh security  what `make security` needs besides `run`: sqlmap,
#                 slowhttptest, testssl.sh, curl, hardening-check, Node.js
#                 (never part of `test`)
# Needs root (or sudo) only when something is missing.
set -eu
cd "$(dirname "$0")/.."

RUN_PKGS="build-essential pkg-config libmicrohttpd-dev libsodium-dev
libsqlite3-dev libinih-dev zlib1g-dev libexpat1-dev libfreexl-dev
libutf8proc-dev libxlsxwriter-dev nettle-dev libqrencode-dev libgnutls28-dev
libseccomp-dev libpq-dev"
TEST_PKGS="libcmocka-dev chromium clang-format mandoc curl
sqlite3 openssl clang libclang-rt-14-dev libreoffice-calc-nogui jq
devscripts postgresql-15 postgresql-client-15"
SECURITY_PKGS="sqlmap slowhttptest testssl.sh curl devscripts openssl"

want=$RUN_PKGS
[ "${1:-run}" = test ] && want="$want $TEST_PKGS"
[ "${1:-run}" = security ] && want="$want $SECURITY_PKGS"

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

# Node.js may come from Debian (nodejs + npm) or elsewhere (NodeSource's
# nodejs bundles npm and conflicts with Debian's npm): ask for the commands.
if [ "${1:-run}" != run ] && ! { command -v node && command -v npm; } >/dev/null; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	SUDO=
	[ "$(id -u)" -ne 0 ] && SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi

# npm ci again whenever the lock file changed since the last install.
if [ "${1:-run}" = test ] &&
	! cmp -s e2e/package-lock.json e2e/node_modules/.installed-lock.json; then
	echo "deps: installing the browser test packages (npm ci)"
	(cd e2e && npm ci --no-audit --no-fund --loglevel=error &&
		cp package-lock.json node_modules/.installed-lock.json)
fi
