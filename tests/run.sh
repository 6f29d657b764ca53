#!/bin/sh
# Run every test against one build (build/ or build/asan/) and end with the
# line "N passed, N failed[, N skipped]".
#   unit tests   build/.../tests/*/test_* (cmocka, TAP output)
#   corpus       tests/corpus.sh: ../shared/corpus through biebsync check
#   e2e tests    e2e/*.test.mjs (node's test runner), which start real
#                biebsync processes from $BIEBSYNC_BIN and a real Chromium
#   fuzz         each libFuzzer target briefly (build/ only, needs clang)
#   hardening    scripts/hardening.sh on build/biebsync (with the unit tests)
#   install      tests/install.sh: make install into a temporary DESTDIR
#   postgresql   the unit tests that open a store through tu_store_url or
#                tu_store_fresh (tests/testutil.h) once more, each store a
#                fresh database on a throw-away PostgreSQL cluster
#                (tests/pg.sh); reported as "== TEST (postgresql)"
# Set TESTS_ONLY=unit, TESTS_ONLY=corpus, TESTS_ONLY=fuzz or TESTS_ONLY=e2e
# to run one kind (unit also runs the corpus check and the PostgreSQL run).
#
# The PostgreSQL run (issue 14) happens when the backend is there
# (src/store/pg.c) and the PostgreSQL 15 binaries are (tests/pg.sh check);
# otherwise it says "postgresql: not run (why)" and counts one skipped.
# BIEBSYNC_TEST_PG=0 leaves it out, BIEBSYNC_TEST_PG=1 counts a run that
# cannot happen as failed.  BIEBSYNC_TEST_PG_URL names a server of your own
# (a superuser's URL) instead of the throw-away cluster.
# BIEBSYNC_TEST_DB=postgresql runs the e2e tests on PostgreSQL too (every
# server a fresh database: e2e/lib/server.mjs); they stay on SQLite by
# default.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
out=$(mktemp -d)
pgdir=
cleanup() {
	[ -n "$pgdir" ] && sh tests/pg.sh stop "$pgdir"
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pass=0 fail=0 skip=0 broken=0

# One cmocka test program in TAP form, counted; $2 labels the run.
unit() {
	echo "== $1${2:+ ($2)}"
	CMOCKA_MESSAGE_OUTPUT=TAP "$1" >"$out/unit" 2>&1
	rc=$?
	cat "$out/unit"
	p=$(grep -c '^ok ' "$out/unit")
	# cmocka writes a skipped test as "not ok N # SKIP"
	k=$(grep -c '^not ok [0-9]* # SKIP' "$out/unit")
	f=$(($(grep -c '^not ok ' "$out/unit") - k))
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + k))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $1${2:+ ($2)} exited with status $rc"
		broken=$((broken + 1))
	fi
}

# Whether PostgreSQL can be used: empty when so, else why not.
pg_why() {
	if [ "${BIEBSYNC_TEST_PG:-}" = 0 ]; then
		echo "BIEBSYNC_TEST_PG=0"
	elif [ ! -f src/store/pg.c ]; then
		echo "the PostgreSQL backend is not built yet: no src/store/pg.c"
	elif [ -z "${BIEBSYNC_TEST_PG_URL:-}" ]; then
		sh tests/pg.sh check
	fi
}

# Start the throw-away cluster once (unless BIEBSYNC_TEST_PG_URL names a
# server already); exports BIEBSYNC_TEST_PG_URL.  Fails with the log.
pg_up() {
	[ -n "${BIEBSYNC_TEST_PG_URL:-}" ] && return 0
	vars=$(sh tests/pg.sh start 2>"$out/pg") || {
		cat "$out/pg"
		return 1
	}
	eval "$vars"
	pgdir=$BIEBSYNC_TEST_PG_DIR
	export BIEBSYNC_TEST_PG_URL
	echo "== PostgreSQL cluster at $BIEBSYNC_TEST_PG_URL (tests/pg.sh)"
}
# Leaks inside third-party libraries we cannot fix (see the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}

if [ "${TESTS_ONLY:-unit}" = unit ]; then
	for t in $(find "$B/tests" -type f -name 'test_*' | sort); do
		unit "$t"
	done
fi

# The same store tests on PostgreSQL: those whose source asks
# tu_store_url() or tu_store_fresh() for their database.
if [ "${TESTS_ONLY:-unit}" = unit ]; then
	why=$(pg_why)
	if [ -n "$why" ]; then
		echo "== postgresql: not run ($why)"
		if [ "${BIEBSYNC_TEST_PG:-}" = 1 ]; then
			echo "!! BIEBSYNC_TEST_PG=1: counted as failed"
			fail=$((fail + 1))
		else
			skip=$((skip + 1))
		fi
	elif ! pg_up; then
		echo "!! postgresql: the cluster did not start (tests/pg.sh)"
		fail=$((fail + 1))
	else
		for t in $(find "$B/tests" -type f -name 'test_*' | sort); do
			src=tests/${t#"$B"/tests/}.c
			grep -q 'tu_store_url(\|tu_store_fresh(' "$src" 2>/dev/null &&
				unit "$t" postgresql
		done
	fi
fi

# The release binary's hardening (scripts/hardening.sh, hardening-check from
# devscripts); the sanitizer build is not a release build.
if [ "${TESTS_ONLY:-unit}" = unit ] && [ "$B" = build ]; then
	echo "== scripts/hardening.sh $B/biebsync"
	sh scripts/hardening.sh "$B/biebsync"
	case $? in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
fi

# `make install` into a temporary DESTDIR (tests/install.sh), release only.
if [ "${TESTS_ONLY:-unit}" = unit ] && [ "$B" = build ]; then
	echo "== tests/install.sh $B"
	if sh tests/install.sh "$B"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
fi

# The saved fuzz inputs, each through the target that found it: the
# readers' (replay) all of them, the fast XML path's (replay_xmlscan) and
# the HTTP targets' (replay_form, replay_multipart, replay_request) their
# own and their seeds.
replay() {
	bin=$1
	shift
	[ -x "$bin" ] || return
	echo "== $bin $*"
	"$bin" "$@" >"$out/replay" 2>&1
	rc=$?
	cat "$out/replay"
	if [ $rc -eq 0 ] && grep -q '^ok ' "$out/replay"; then
		pass=$((pass + 1))
	else
		echo "!! fuzz replay exited with status $rc"
		fail=$((fail + 1))
	fi
}
if [ "${TESTS_ONLY:-unit}" = unit ]; then
	replay "$B/fuzz/replay" fuzz/regress fuzz/seeds
	# shellcheck disable=SC2046
	replay "$B/fuzz/replay_xmlscan" $(ls -d fuzz/regress/xmlscan-* \
		2>/dev/null) fuzz/seeds/xmlscan
	for t in form multipart request; do
		# shellcheck disable=SC2046
		replay "$B/fuzz/replay_$t" $(ls -d fuzz/regress/"$t"-* \
			2>/dev/null) fuzz/seeds/"$t"
	done
fi

# The libFuzzer targets (`make test`, release build only): each runs
# FUZZ_SECS seconds (default 5), seeded from fuzz/seeds (fuzz/seeds/<t> for
# the HTTP targets) and fuzz/corpus/<t> (read only; new inputs go to a
# temporary folder).  A crash, leak, timeout or out-of-memory fails that
# run and its input stays in $B/fuzz/crash/, from where it moves to
# fuzz/regress/ for the replay above.
case ${TESTS_ONLY:-all} in
all | fuzz)
	fuzzfmts=${FUZZ_TARGETS:-all xlsx xls ods csv edexml xmlscan form multipart request}
	fsecs=${FUZZ_SECS:-5}
	if [ "$B" != build ]; then
		echo "== fuzz: the libFuzzer runs belong to make test (build/)," \
			"not to $B"
	elif ! command -v clang >/dev/null 2>&1; then
		for t in $fuzzfmts; do
			echo "!! fuzz_$t: clang is not installed (sh scripts/deps.sh" \
				"test installs it); counted as failed"
			fail=$((fail + 1))
		done
	else
		mkdir -p "$B/fuzz/crash"
		for t in $fuzzfmts; do
			bin=$B/fuzz/fuzz_$t
			echo "== $bin for ${fsecs}s"
			if [ ! -x "$bin" ]; then
				echo "!! $bin is not built (make $bin)"
				fail=$((fail + 1))
				continue
			fi
			mkdir -p "$out/fuzz-$t"
			seeds=fuzz/seeds
			[ -d "fuzz/seeds/$t" ] && seeds=fuzz/seeds/$t
			[ -d "fuzz/corpus/$t" ] && seeds="fuzz/corpus/$t $seeds"
			before=$(ls "$B/fuzz/crash" | wc -l)
			# freexl's own crashes (targets that read .xls run it in
			# process; the server reads in a sandbox): fuzz in child
			# processes and keep such crashes apart (fuzz/run.sh)
			fork= prefix=$B/fuzz/crash/$t-
			case $t in all | xls)
				fork="-fork=1 -ignore_crashes=1"
				mkdir -p "$B/fuzz/freexl"
				prefix=$B/fuzz/freexl/$t-
				;;
			esac
			# shellcheck disable=SC2086
			"$bin" "$out/fuzz-$t" $seeds -max_total_time="$fsecs" \
				-timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
				$fork -artifact_prefix="$prefix" >"$out/fuzz" 2>&1
			rc=$?
			if [ $rc -eq 0 ] &&
				[ "$(ls "$B/fuzz/crash" | wc -l)" -eq "$before" ]; then
				grep -E '^(stat::number_of_executed_units|Done )' \
					"$out/fuzz"
				echo "ok fuzz_$t"
				pass=$((pass + 1))
			else
				tail -n 40 "$out/fuzz"
				echo "not ok fuzz_$t (exit status $rc); keep the input with"
				ls -t "$B/fuzz/crash/$t-"* 2>/dev/null | head -3 |
					sed 's|^|   mv |; s|$| fuzz/regress/|'
				fail=$((fail + 1))
			fi
		done
	fi
	;;
esac

case ${TESTS_ONLY:-all} in
all | unit | corpus)
	echo "== corpus (tests/corpus.sh $B)"
	sh tests/corpus.sh "$B" >"$out/corpus" 2>&1
	rc=$?
	cat "$out/corpus"
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out/corpus" | tail -1)
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out/corpus" | tail -1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "!! corpus check exited with status $rc"
		broken=$((broken + 1))
	fi
	;;
esac

e2e=${TESTS_ONLY:-e2e}
if [ "$e2e" = e2e ] && [ "${BIEBSYNC_TEST_DB:-sqlite}" = postgresql ]; then
	why=$(pg_why)
	if [ -n "$why" ] || ! pg_up; then
		echo "!! e2e on postgresql (BIEBSYNC_TEST_DB=postgresql):" \
			"not run (${why:-the cluster did not start})"
		fail=$((fail + 1))
		e2e=
	fi
fi
if [ "$e2e" = e2e ]; then
	echo "== e2e (node --test) with $B/biebsync on ${BIEBSYNC_TEST_DB:-sqlite}"
	# One test file at a time (Node 18 has no --test-concurrency: its
	# files then run side by side, which the tests allow).
	conc=
	[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] &&
		conc=--test-concurrency=1
	BIEBSYNC_BIN="$ROOT/$B/biebsync" node --test $conc \
		--test-reporter=tap e2e/ >"$out/e2e" 2>&1
	rc=$?
	cat "$out/e2e"
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out/e2e" | tail -1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out/e2e" | tail -1)
	s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$out/e2e" | tail -1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	skip=$((skip + ${s:-0}))
	if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "!! e2e tests exited with status $rc"
		broken=$((broken + 1))
	fi
fi

fail=$((fail + broken))
echo
if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
