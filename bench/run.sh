#!/bin/sh
# make bench: time reading and importing student lists (issues 3 and 4)
# and uploading them through the website (issue 5, bench/upload.mjs), and
# reading the change feed (issue 13, bench/phases feed and bench/feed.mjs).
#
#   sh bench/run.sh [BUILD_DIR]       (make bench builds what it needs first)
#
# 1. Generates invented student lists under bench/out/in/ (kept between runs,
#    regenerated when bench/gen changes): 1,000 / 100,000 / 1,000,000 rows as
#    .xlsx with shared strings, .xlsx with inline strings, .csv (';',
#    Windows-1252) and .ods, plus the next school year's list as .xlsx.
# 2. Reading: `biebsync check --cells FILE > /dev/null` per file (wall time
#    and peak RSS), the readers alone in process (bench/phases read), and
#    the floor: inflate + expat for zips, a plain read for CSV (bench/floor).
# 3. Import: `biebsync import --school bench FILE` (preview) and `... --apply`
#    for year 1 into an empty roster and year 2 into year 1's roster; then
#    the same through the library, phase by phase (bench/phases import).
#
# Prints the tables (also written to bench/out/results.md) and ends within a
# few minutes on the 2-core machine.  Environment:
#   BENCH_SIZES="1000 100000 1000000"   sizes to run
#   BENCH_RUNS_SMALL=21 BENCH_RUNS_MID=5 runs per measurement for 1,000 rows
#                                        and for 100,000 (1,000,000: one run)
#   BENCH_CMP_SIZES="1000000"           sizes at which SheetJS, exceljs and
#                                        openpyxl read the .xlsx too (default:
#                                        the largest of BENCH_SIZES); they are
#                                        skipped when not installed
set -eu
B=${1:-build}
cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-"1000 100000 1000000"}
OUT=bench/out
IN=$OUT/in
DB=$OUT/db
BIN=$B/biebsync
GEN=$B/bench/gen
TIMEIT=$B/bench/timeit
FLOOR=$B/bench/floor
PHASES=$B/bench/phases
RES=$OUT/results.md
ERR=$OUT/last.err
mkdir -p "$IN" "$DB"
for x in "$BIN" "$GEN" "$TIMEIT" "$FLOOR" "$PHASES"; do
	[ -x "$x" ] || { echo "bench: $x is missing; run make bench" >&2; exit 1; }
done

runs() {
	case $1 in
	1000) echo "${BENCH_RUNS_SMALL:-21}" ;;
	100000) echo "${BENCH_RUNS_MID:-5}" ;;
	*) echo 1 ;;
	esac
}

# cells from timeit's line "median min max rss runs median_cpu"
ms() { echo "$1" | awk '{ printf "%.1f", $1 }'; }
cpu() { echo "$1" | awk '{ printf "%.1f", $6 }'; }
mib() { echo "$1" | awk '{ printf "%.1f", $4 / 1024 }'; }
fsize() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.2f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

started=$(date +%s)
{
	echo "# biebsync benchmark run"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
	echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- build: $BIN ($(cc --version | head -1)); git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes in src/')"
	echo
} >"$RES"

# ---- 1. inputs ----
echo "bench: generating inputs in $IN (kept for the next run)"
gen() { # FORMAT YEAR N FILE
	if [ ! -s "$4" ] || [ -n "$(find "$GEN" -newer "$4")" ]; then
		"$GEN" "$1" "$2" "$3" "$4.tmp" && mv "$4.tmp" "$4"
	fi
}
t0=$(date +%s)
for n in $SIZES; do
	# two at a time, one per core
	gen xlsx 1 "$n" "$IN/students-$n.xlsx" &
	pid=$!
	gen xlsxin 1 "$n" "$IN/students-$n-inline.xlsx"
	wait "$pid"
	gen ods 1 "$n" "$IN/students-$n.ods" &
	pid=$!
	gen csv 1 "$n" "$IN/students-$n.csv"
	gen xlsx 2 "$n" "$IN/year2-$n.xlsx"
	wait "$pid"
done
echo "bench: inputs ready in $(($(date +%s) - t0)) s"

# ---- 2. reading ----
{
	echo "## Reading files (issue 3)"
	echo
	echo "\`check --cells\`: \`$BIN check --cells FILE > /dev/null\`: wall time and CPU time (user + system), medians of the runs, and peak RSS."
	echo "\`reader only\`: \`$PHASES read FILE\`: sheet_open + sheet_read in process, no output."
	echo "\`floor\`: \`$FLOOR zip FILE [content.xml]\` (inflate the sheet XML and scan it with expat, single-threaded) for zips, \`$FLOOR read FILE\` (read the file into memory, count lines) for CSV."
	echo
	echo "The ratios compare wall times and CPU times; CPU times are disturbed less by other work on a shared machine, wall times show what a reader gains from using both cores.  CSV files are timed 11 times at every size (they are quick)."
	echo
	echo "| file | rows | MiB | runs | check --cells ms | CPU ms | RSS MiB | reader only ms | floor ms | floor CPU ms | floor RSS MiB | check / floor (wall) | check / floor (CPU) |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >>"$RES"
for n in $SIZES; do
	r=$(runs "$n")
	for kind in xlsx inline.xlsx csv ods; do
		case $kind in
		xlsx) f=$IN/students-$n.xlsx label="xlsx (shared strings)"
			fl="zip $f" ;;
		inline.xlsx) f=$IN/students-$n-inline.xlsx
			label="xlsx (inline strings)" fl="zip $f" ;;
		csv) f=$IN/students-$n.csv label="csv (; Windows-1252)"
			fl="read $f" ;;
		ods) f=$IN/students-$n.ods label="ods" fl="zip $f content.xml" ;;
		esac
		rk=$r
		[ "$kind" != csv ] || [ "$r" -ge 11 ] || rk=11
		c=$("$TIMEIT" -n "$rk" -e "$ERR" -- "$BIN" check --cells "$f")
		# shellcheck disable=SC2086
		fo=$("$TIMEIT" -n "$rk" -e "$ERR" -- "$FLOOR" $fl)
		ro=$("$PHASES" read "$f" | awk '/^phase read/ { print $3 }')
		line="| $label | $n | $(fsize "$f") | $rk | $(ms "$c") | $(cpu "$c") | $(mib "$c") | $ro | $(ms "$fo") | $(cpu "$fo") | $(mib "$fo") | $(ratio "$(ms "$c")" "$(ms "$fo")") | $(ratio "$(cpu "$c")" "$(cpu "$fo")") |"
		echo "$line" >>"$RES"
		echo "bench: read $label $n: check ${c% * *} floor ${fo% * *}"
	done
done
echo >>"$RES"

# ---- 2b. other readers on the same .xlsx (issue 3) ----
# SheetJS and exceljs from bench/package.json (npm ci --prefix bench),
# openpyxl from Debian (apt-get install python3-openpyxl).  Nothing is
# installed here: a reader that is missing gets a "not installed" line.
# BENCH_CMP_SIZES (default: the largest of BENCH_SIZES) picks the files.
CMP_SIZES=${BENCH_CMP_SIZES:-$(for n in $SIZES; do echo "$n"; done | sort -n | tail -1)}
PY=/usr/bin/python3
{
	echo "### Other readers, same file"
	echo
	echo "Each reads the first sheet of the .xlsx (shared strings) and counts its non-empty cells: \`node bench/cmp_sheetjs.mjs FILE\` (SheetJS, npm xlsx, whole workbook, dense), \`node bench/cmp_exceljs.mjs FILE\` (exceljs streaming WorkbookReader), \`$PY bench/cmp_openpyxl.py FILE\` (openpyxl read_only).  Ratios: the reader's time over \`check --cells\`'s, wall and CPU (node's CPU includes its GC and worker threads)."
	echo
	echo "| reader | version | rows | runs | wall ms | CPU ms | RSS MiB | cells | × check (wall) | × check (CPU) |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} >>"$RES"
cmpver() { # READER
	case $1 in
	sheetjs) node -p "require('./bench/node_modules/xlsx/package.json').version" 2>/dev/null ;;
	exceljs) node -p "require('./bench/node_modules/exceljs/package.json').version" 2>/dev/null ;;
	openpyxl) "$PY" -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null ;;
	esac
}
for n in $CMP_SIZES; do
	r=$(runs "$n")
	f=$IN/students-$n.xlsx
	cells=$("$PHASES" read "$f" | awk '/^counts/ { sub("cells=", "", $3); print $3 }')
	c=$("$TIMEIT" -n "$r" -e "$ERR" -- "$BIN" check --cells "$f")
	echo "| biebsync check --cells | $(git describe --always 2>/dev/null || echo '?') | $n | $r | $(ms "$c") | $(cpu "$c") | $(mib "$c") | $cells | 1.00 | 1.00 |" >>"$RES"
	for rd in sheetjs exceljs openpyxl; do
		case $rd in
		sheetjs) cmd="node bench/cmp_sheetjs.mjs" ;;
		exceljs) cmd="node bench/cmp_exceljs.mjs" ;;
		openpyxl) cmd="$PY bench/cmp_openpyxl.py" ;;
		esac
		v=$(cmpver "$rd")
		if [ -z "$v" ] || ! command -v "${cmd%% *}" >/dev/null; then
			echo "| $rd | not installed | $n | | | | | | | |" >>"$RES"
			echo "bench: $rd not installed, skipped (npm ci --prefix bench; apt-get install python3-openpyxl)"
			continue
		fi
		# shellcheck disable=SC2086
		if ! o=$("$TIMEIT" -n "$r" -e "$ERR" -o "$OUT/cmp.out" -- $cmd "$f"); then
			echo "| $rd | $v | $n | $r | failed (see $ERR) | | | | | |" >>"$RES"
			echo "bench: $rd $n failed, see $ERR"
			continue
		fi
		got=$(awk '/^cells/ { print $2 }' "$OUT/cmp.out")
		echo "| $rd | $v | $n | $r | $(ms "$o") | $(cpu "$o") | $(mib "$o") | $got | $(ratio "$(ms "$o")" "$(ms "$c")") | $(ratio "$(cpu "$o")" "$(cpu "$c")") |" >>"$RES"
		echo "bench: $rd $n: ${o% * *} (check --cells ${c% * *})"
	done
done
echo >>"$RES"

# ---- 3. import ----
cat >"$OUT/bench.conf" <<'EOF'
# bench/run.sh: a 1,000,000-row list is some 32 MB, above the 10 MB default
[imports]
max_upload = 1g
EOF
{
	echo "## Import (issue 4)"
	echo
	echo "\`preview\`: \`$BIN import --school bench FILE --db sqlite:DB --config $OUT/bench.conf > /dev/null\` (read, validate, load the roster, diff, print the plan; nothing saved)."
	echo "\`apply\`: the same with \`--apply\` (also saves the preview with its journal and applies it in one transaction), each run on a fresh copy of the database."
	echo "Year 1 goes into an empty roster (all new); year 2 into year 1's roster: groep 8 and 1 % of the others leave, everyone else moves up a group, a new intake of N/8 and 1 % newcomers."
	echo
	echo "| students | step | runs | wall ms (median) | min ms | max ms | CPU ms (median) | peak RSS MiB |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|"
} >>"$RES"
PH=$OUT/phases.md
{
	echo "Phases through the library (\`$PHASES import --db sqlite:DB --school bench FILE --apply\`, one run each): wall ms (CPU ms of the process in that phase), and the process's peak RSS at the end."
	echo
	echo "| students | import | validate | load | diff | summary | stage | apply | peak RSS MiB | counts |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"
} >"$PH"
imp() { # RUNS DBFILE FILE [--apply] [PREP]
	r=$1 d=$2 f=$3 a=${4:-} p=${5:-true}
	# shellcheck disable=SC2086
	"$TIMEIT" -n "$r" -e "$ERR" -p "$p" -- "$BIN" import --school bench "$f" \
		--db "sqlite:$d" --config "$OUT/bench.conf" $a
}
fresh() { echo "rm -f $DB/run.db $DB/run.db-wal $DB/run.db-shm && cp $1 $DB/run.db"; }
phases() { # N LABEL BASE FILE
	rm -f "$DB/ph.db" "$DB/ph.db-wal" "$DB/ph.db-shm"
	cp "$3" "$DB/ph.db"
	"$PHASES" import --db "sqlite:$DB/ph.db" --school bench "$4" --apply |
		awk -v n="$1" -v l="$2" '
		function p(k) { return sprintf("%.1f (%.1f)", t[k], u[k]) }
		/^phase/ { t[$2] = $3; u[$2] = $4; rss = $5 }
		/^counts/ { $1 = ""; c = $0 }
		END { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.1f |%s |\n",
		      n, l, p("validate"), p("load"), p("diff"), p("summary"),
		      p("stage"), p("apply"), rss / 1024, c }' >>"$PH"
}
for n in $SIZES; do
	r=$(runs "$n")
	y1=$IN/students-$n.xlsx y2=$IN/year2-$n.xlsx
	rm -f "$DB"/*.db "$DB"/*.db-wal "$DB"/*.db-shm
	"$BIN" admin school add --name "Bench $n" --brin 00BB --slug bench \
		--db "sqlite:$DB/empty.db" >/dev/null
	p1=$(imp "$r" "$DB/empty.db" "$y1")
	a1=$(imp "$r" "$DB/run.db" "$y1" --apply "$(fresh "$DB/empty.db")")
	cp "$DB/run.db" "$DB/year1.db"
	[ ! -f "$DB/run.db-wal" ] || cp "$DB/run.db-wal" "$DB/year1.db-wal"
	p2=$(imp "$r" "$DB/year1.db" "$y2")
	a2=$(imp "$r" "$DB/run.db" "$y2" --apply "$(fresh "$DB/year1.db")")
	for s in "preview year 1 (empty roster)|$p1" "apply year 1|$a1" \
		"preview year 2|$p2" "apply year 2|$a2"; do
		v=${s#*|}
		echo "$v" | awk -v n="$n" -v s="${s%%|*}" '{ printf "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |\n", n, s, $5, $1, $2, $3, $6, $4 / 1024 }' >>"$RES"
	done
	echo "bench: import $n: preview1 ${p1% * * *} apply1 ${a1% * * *} preview2 ${p2% * * *} apply2 ${a2% * * *}"
	phases "$n" "year 1" "$DB/empty.db" "$y1"
	phases "$n" "year 2" "$DB/year1.db" "$y2"
done
{
	echo
	cat "$PH"
	echo
	echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(($(date +%s) - started)) s"
} >>"$RES"
# The feed of the largest year 1 (one entry per new pupil): through the
# store, then through the API by one client over HTTP.
cp "$DB/year1.db" "$DB/feed.db"
[ ! -f "$DB/year1.db-wal" ] || cp "$DB/year1.db-wal" "$DB/feed.db-wal"
feed=$("$PHASES" feed --db "sqlite:$DB/feed.db")
{
	echo
	echo "## Change feed (issue 13)"
	echo
	echo "The whole change feed of a database holding year 1 of the largest list applied (one entry per new pupil), read in pages of 1,000 entries, each page after the last entry of the one before.  Store: \`$PHASES feed --db sqlite:DB\` (store_feed_list, the entries as structs).  API: \`node bench/feed.mjs DB\`, one client reading GET /api/v1/changes?since=CURSOR&limit=1000 over one keep-alive connection and parsing each page as JSON, against a real \`biebsync serve\`."
	echo
	echo "$feed" | awk '/^phase feed/ { w = $3; c = $4 } /^counts/ { split($2, a, "="); n = a[2] }
		END { printf "Store: %d entries in %.1f ms (CPU %.1f ms): %d entries/s.\n", n, w, c, n / (w / 1000) }'
	echo
	BIEBSYNC_BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" node bench/feed.mjs "$DB/feed.db"
} >>"$RES"
{
	echo
	echo "## Web upload (issue 5)"
	echo
	BIEBSYNC_BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" node bench/upload.mjs
} >>"$RES"
echo
cat "$RES"
