#!/bin/sh
# A throw-away PostgreSQL cluster for the tests (issue 14): initdb in a
# fresh temporary folder, a private unix socket in that folder, its own
# port, trust authentication on that socket only and no TCP at all, so
# clusters of several test runs on one machine never meet.  fsync stays
# on (the crash tests restart the cluster and expect committed data to
# survive).  The folder is removed when the cluster stops.
#
#   pg.sh check          exit 0 when the PostgreSQL binaries are there,
#                        else say why on stdout and exit 77
#   pg.sh start          start one; prints two shell assignments,
#                          BIEBSYNC_TEST_PG_DIR='...'  (for stop)
#                          BIEBSYNC_TEST_PG_URL='postgresql:///postgres?...'
#                        (a superuser's URL: tu_store_url in tests/testutil.h
#                        and e2e/lib/server.mjs make a fresh database on it)
#   pg.sh stop DIR       stop the cluster started in DIR and remove DIR
#   pg.sh run CMD ARG..  start one, run CMD with BIEBSYNC_TEST_PG_URL
#                        exported, stop it (also when CMD fails or the
#                        script is interrupted); exits with CMD's status
#
# PG_BIN names the binaries' folder (default /usr/lib/postgresql/15/bin,
# Debian's postgresql-15); PG_PORT a port (default: one picked from the
# process id; the socket is private, so no other cluster can hold it).
# Under root the cluster runs as the user postgres (initdb refuses root),
# otherwise as the current user.
set -eu

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

check() {
	for b in initdb pg_ctl postgres; do
		if [ ! -x "$PG_BIN/$b" ]; then
			echo "no $PG_BIN/$b (sh scripts/deps.sh test installs postgresql-15)"
			return 77
		fi
	done
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "running as root and there is no user postgres to run the cluster"
		return 77
	fi
	return 0
}

# Run a PostgreSQL binary as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	why=$(check) || {
		echo "pg.sh: $why" >&2
		exit 77
	}
	dir=$(mktemp -d /tmp/biebsync-pg-XXXXXX)
	port=${PG_PORT:-$((20000 + $$ % 30000))}
	mkdir "$dir/sock"
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
	chmod 0700 "$dir"
	# C.UTF-8: UTF-8 text compared byte by byte, as SQLite compares it
	locale=--no-locale
	locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=--locale=C.UTF-8
	if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres \
		--auth-local=trust --auth-host=reject -E UTF8 "$locale" \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		echo "pg.sh: initdb failed" >&2
		exit 1
	fi
	# no TCP (listen_addresses empty): the socket in $dir/sock only
	if ! as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/data/log" -w \
		-t 60 -o "-p $port -k $dir/sock -c listen_addresses= \
		-c max_connections=200 -c fsync=on" start >/dev/null; then
		cat "$dir/data/log" >&2
		rm -rf "$dir"
		echo "pg.sh: the cluster did not start" >&2
		exit 1
	fi
	echo "BIEBSYNC_TEST_PG_DIR='$dir'"
	echo "BIEBSYNC_TEST_PG_URL='postgresql:///postgres?host=$dir/sock&port=$port&user=postgres'"
}

stop() {
	dir=$1
	case $dir in
	/tmp/biebsync-pg-*) ;;
	*)
		echo "pg.sh: stop: '$dir' is not a folder pg.sh made" >&2
		exit 2
		;;
	esac
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 \
			stop >/dev/null 2>&1 ||
			kill -9 "$(head -n 1 "$dir/data/postmaster.pid")" 2>/dev/null ||
			true
	fi
	rm -rf "$dir"
}

case ${1:-} in
check)
	check
	;;
start)
	start
	;;
stop)
	[ $# -eq 2 ] || {
		echo "usage: pg.sh stop DIR" >&2
		exit 2
	}
	stop "$2"
	;;
run)
	shift
	[ $# -ge 1 ] || {
		echo "usage: pg.sh run CMD [ARG...]" >&2
		exit 2
	}
	vars=$(start)
	eval "$vars"
	# shellcheck disable=SC2154 # set by the eval
	trap 'stop "$BIEBSYNC_TEST_PG_DIR"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	export BIEBSYNC_TEST_PG_URL
	echo "pg.sh: PostgreSQL at $BIEBSYNC_TEST_PG_URL" >&2
	status=0
	"$@" || status=$?
	exit $status
	;;
*)
	echo "usage: pg.sh check | start | stop DIR | run CMD [ARG...]" >&2
	exit 2
	;;
esac
