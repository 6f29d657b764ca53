#!/bin/sh
# Run every test against one build (build/ or build/asan/) and end with the
# line "N passed, N failed[, N skipped]".
#   unit tests   build/.../tests/*/test_* (cmocka, TAP output)
#   corpus       tests/corpus.sh: ../shared/corpus through biebsync check
#   e2e tests    e2e/*.test.mjs (node's test runner), which start real
#                biebsync processes from $BIEBSYNC_BIN and a real Chromium
# Set TESTS_ONLY=unit, TESTS_ONLY=corpus or TESTS_ONLY=e2e to run one kind
# (unit also runs the corpus check).
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pass=0 fail=0 skip=0 broken=0
# Leaks inside third-party libraries we cannot fix (see the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}

if [ "${TESTS_ONLY:-unit}" = unit ]; then
	for t in $(find "$B/tests" -type f -name 'test_*' | sort); do
		echo "== $t"
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out/unit" 2>&1
		rc=$?
		cat "$out/unit"
		p=$(grep -c '^ok ' "$out/unit")
		f=$(grep -c '^not ok ' "$out/unit")
		pass=$((pass + p))
		fail=$((fail + f))
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "!! $t exited with status $rc"
			broken=$((broken + 1))
		fi
	done
fi

if [ "${TESTS_ONLY:-unit}" = unit ] && [ -x "$B/fuzz/replay" ]; then
	echo "== $B/fuzz/replay fuzz/regress fuzz/seeds"
	"$B/fuzz/replay" fuzz/regress fuzz/seeds >"$out/replay" 2>&1
	rc=$?
	cat "$out/replay"
	if [ $rc -eq 0 ] && grep -q '^ok ' "$out/replay"; then
		pass=$((pass + 1))
	else
		echo "!! fuzz replay exited with status $rc"
		fail=$((fail + 1))
	fi
fi

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

if [ "${TESTS_ONLY:-e2e}" = e2e ]; then
	echo "== e2e (node --test) with $B/biebsync"
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
