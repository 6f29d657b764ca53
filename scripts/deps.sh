#!/bin/sh
# Install what biebsync needs on Debian 12, and nothing that is there already.
#   deps.sh run   packages to build and run the server
#   deps.sh test  also what the tests need (cmocka, Node.js, Chromium,
#                 playwright-core from npm)
# Needs root (or sudo) only when something is missing.
set -eu
cd "$(dirname "$0")/.."

RUN_PKGS="build-essential pkg-config libmicrohttpd-dev libsodium-dev
libsqlite3-dev libinih-dev zlib1g-dev libexpat1-dev libfreexl-dev
libutf8proc-dev"
TEST_PKGS="libcmocka-dev nodejs npm chromium clang-format mandoc curl
sqlite3 openssl libxlsxwriter-dev clang"

want=$RUN_PKGS
[ "${1:-run}" = test ] && want="$want $TEST_PKGS"

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	SUDO=
	[ "$(id -u)" -ne 0 ] && SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi

if [ "${1:-run}" = test ] && [ ! -d e2e/node_modules/playwright-core ]; then
	echo "deps: installing the browser test packages (npm ci)"
	(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
