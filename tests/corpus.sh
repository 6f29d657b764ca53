#!/bin/sh
# The corpus check: every file of ../shared/corpus (beside the repository)
# through `biebsync check --cells`, which must read it or refuse it with a
# clear message (exit 0 or 1, a message on stdout when refused), never
# crash, hang or leak (the asan build makes leaks and UB fatal).  Then the
# agreement figure: of all cells on which both reference readers (openpyxl
# and SheetJS, truth/*.tsv) agree, how many our dump reproduces exactly; at
# least 99.5 % passes.  Differences are listed (a few lines per file).
#
#   sh tests/corpus.sh BUILD_DIR      ends with "N passed, N failed"
# CORPUS=DIR overrides the corpus location; JOBS=N the parallelism.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
BIN=$ROOT/$B/biebsync
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
TARGET=99.5

if [ ! -f "$CORPUS/MANIFEST.tsv" ]; then
	echo "corpus: $CORPUS not found, skipped"
	echo "0 passed, 0 failed"
	exit 0
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Sanitizer failures must not look like a refusal (exit 1).
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=87:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}

# One file: $1 = index, $2 = local name.
if [ "${CORPUS_ONE:-}" = 1 ]; then
	i=$2 name=$3
	timeout 60 "$BIN" check --cells "$CORPUS/files/$name" \
		>"$OUTDIR/$i.tsv" 2>"$OUTDIR/$i.err"
	echo $? >"$OUTDIR/$i.rc"
	exit 0
fi

# Run every file, JOBS at a time.
tail -n +2 "$CORPUS/MANIFEST.tsv" | cut -f4 | awk '{print NR "\t" $0}' \
	>"$out/list"
start=$(date +%s)
tr '\t' '\n' <"$out/list" |
	OUTDIR=$out CORPUS_ONE=1 CORPUS=$CORPUS xargs -d "\n" -n 2 -P "$JOBS" \
		sh "$ROOT/tests/corpus.sh" "$B"
secs=$(($(date +%s) - start))

pass=0 fail=0 read=0 refused=0
while IFS="$(printf '\t')" read -r i name; do
	rc=$(cat "$out/$i.rc" 2>/dev/null || echo missing)
	case $rc in
	0) read=$((read + 1)) pass=$((pass + 1)) ;;
	1)
		if [ -s "$out/$i.tsv" ] && tail -n 1 "$out/$i.tsv" |
			grep -qv "$(printf '\t')"; then
			refused=$((refused + 1)) pass=$((pass + 1))
		else
			echo "not ok - $name: exit 1 without a message"
			fail=$((fail + 1))
		fi
		;;
	*)
		echo "not ok - $name: exit status $rc"
		sed -n 1,20p "$out/$i.err"
		fail=$((fail + 1))
		;;
	esac
done <"$out/list"
echo "corpus: $read read, $refused refused, $fail failed, in ${secs}s"

# The agreement figure over cells both references agree on.
want=0 got=0
: >"$out/diffs"
while IFS="$(printf '\t')" read -r i name; do
	t=$CORPUS/truth/$name
	[ -f "$t.openpyxl.tsv" ] && [ -f "$t.sheetjs.tsv" ] || continue
	sort "$t.openpyxl.tsv" >"$out/a"
	sort "$t.sheetjs.tsv" >"$out/b"
	comm -12 "$out/a" "$out/b" >"$out/agree"
	n=$(wc -l <"$out/agree")
	[ "$n" -gt 0 ] || continue
	grep -a "$(printf '\t')" "$out/$i.tsv" | sort >"$out/ours"
	comm -23 "$out/agree" "$out/ours" >"$out/missed"
	m=$(wc -l <"$out/missed")
	want=$((want + n))
	got=$((got + n - m))
	if [ "$m" -gt 0 ]; then
		{
			echo "# $name: $m of $n cells differ"
			sed -n 's/^/#   want /;1,3p' "$out/missed"
			cut -f1,2 "$out/missed" | sed -n 1,3p |
				while IFS="$(printf '\t')" read -r r c; do
					awk -F'\t' -v r="$r" -v c="$c" \
						'$1==r && $2==c {print "#   got  " $0}' \
						"$out/ours"
				done
		} >>"$out/diffs"
	fi
done <"$out/list"
cat "$out/diffs"
pct=$(awk -v g=$got -v w=$want 'BEGIN { if (w == 0) print "0.000";
	else printf "%.3f", 100 * g / w }')
echo "corpus: agreement $got of $want cells ($pct %, target $TARGET %)"
if awk -v p="$pct" -v t=$TARGET 'BEGIN { exit !(p + 0 >= t + 0) }'; then
	echo "ok - corpus agreement $pct %"
	pass=$((pass + 1))
else
	echo "not ok - corpus agreement $pct % is below $TARGET %"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
