#!/bin/sh
# `make install` into a temporary DESTDIR with PREFIX=/usr: the binary, both
# man pages, the systemd unit with its paths filled in, the example
# configuration (also as /etc/biebsync/biebsync.conf, which a second install
# leaves alone), and the installed binary reads the installed configuration.
#   sh tests/install.sh [BUILD]     default build
# Exit 0 when all is there, 1 otherwise.  Run by tests/run.sh with the unit
# tests.
set -u
cd "$(dirname "$0")/.."
B=${1:-build}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
status=0
fail() {
	echo "install: $*"
	status=1
}

make -s install B="$B" DESTDIR="$dest" PREFIX=/usr >"$dest.log" 2>&1 ||
	{ cat "$dest.log"; fail "make install failed"; }
rm -f "$dest.log"
for f in usr/bin/biebsync usr/share/man/man1/biebsync.1 \
	usr/share/man/man5/biebsync.conf.5 \
	usr/share/doc/biebsync/biebsync.conf.example \
	usr/lib/systemd/system/biebsync.service etc/biebsync/biebsync.conf; do
	[ -f "$dest/$f" ] || fail "/$f is missing"
done
[ -x "$dest/usr/bin/biebsync" ] || fail "/usr/bin/biebsync is not executable"
unit=$dest/usr/lib/systemd/system/biebsync.service
if [ -f "$unit" ]; then
	grep -q '@[A-Z]*@' "$unit" && fail "the unit keeps a placeholder"
	grep -q '^ExecStart=/usr/bin/biebsync serve --config /etc/biebsync/biebsync.conf$' "$unit" ||
		fail "the unit's ExecStart is not the installed binary and config"
fi
# a second install keeps an edited configuration
echo '; edited' >>"$dest/etc/biebsync/biebsync.conf"
make -s install B="$B" DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
grep -q '^; edited$' "$dest/etc/biebsync/biebsync.conf" ||
	fail "a second make install overwrote /etc/biebsync/biebsync.conf"
# the installed binary accepts the installed configuration
"$dest/usr/bin/biebsync" admin school list \
	--config "$dest/etc/biebsync/biebsync.conf" \
	--db "sqlite:$dest/test.db" >/dev/null 2>"$dest/err" ||
	{ cat "$dest/err"; fail "biebsync does not accept the example configuration"; }
[ $status -eq 0 ] && echo "install: ok"
exit $status
