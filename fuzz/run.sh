#!/bin/sh
# make fuzz: run each libFuzzer target for SECONDS, seeded from the shared
# corpus (files of that kind) and fuzz/seeds/ (fuzz/seeds/<target>/ for the
# HTTP targets and wire, which take no files); the working corpus lives in
# fuzz/corpus/<target>/ (not committed) and crashes land in fuzz/regress/,
# which `make test` replays.  Each run's whole output is kept in
# build/fuzz/log/<target>.log; printed are libFuzzer's final figures and a
# row for the table in SECURITY.md ("Fuzzing"):
#   | target | seconds | executions | exec/s | cov / ft | corpus | crashes | date |
#   sh fuzz/run.sh SECONDS TARGET...
set -u
cd "$(dirname "$0")/.." || exit 1
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp}
secs=$1
shift
shared=../shared/corpus
mkdir -p build/fuzz/log fuzz/regress
status=0
# The saved crashes of target $1.
crashes_of() {
	n=0
	for f in fuzz/regress/"$1"-*; do
		[ -e "$f" ] && n=$((n + 1))
	done
	echo $n
}
for t in "$@"; do
	dir=fuzz/corpus/$t
	log=build/fuzz/log/$t.log
	mkdir -p "$dir"
	if [ "$t" != wire ] && [ -z "$(ls -A "$dir")" ] &&
		[ -f "$shared/MANIFEST.tsv" ]; then
		tail -n +2 "$shared/MANIFEST.tsv" |
			awk -F'\t' -v k="$t" '(k == "all" || $7 == k) && $6 < 2000000 {print $4}' |
			while IFS= read -r f; do
				cp "$shared/files/$f" "$dir/$(echo "$f" | tr '/' '_')"
			done
	fi
	seeds=fuzz/seeds
	[ -d "fuzz/seeds/$t" ] && seeds=fuzz/seeds/$t
	# Targets that read .xls run freexl in process, and freexl 1.0.6 has
	# bugs of its own that we cannot fix (fuzz/regress/freexl-*; the server
	# reads every file in a sandboxed child, where they are refused): such
	# a crash must not end the run, so those targets fuzz in child
	# processes (-fork=1) that may crash (-ignore_crashes=1).  Their
	# crashes still land in fuzz/regress/ (counted in the row below), and
	# the replay reads .xls inputs through the sandbox (fuzz/replay.c).
	fork=
	case $t in all | xls) fork="-fork=1 -ignore_crashes=1" ;; esac
	before=$(crashes_of "$t")
	echo "== fuzz_$t for ${secs}s (log: $log)"
	# shellcheck disable=SC2086
	build/fuzz/fuzz_"$t" "$dir" "$seeds" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2560 -print_final_stats=1 $fork \
		-artifact_prefix=fuzz/regress/"$t"- >"$log" 2>&1
	rc=$?
	crashes=$(($(crashes_of "$t") - before))
	if [ $rc -ne 0 ]; then
		tail -n 40 "$log"
		status=1
	fi
	# The last status line (DONE, or the last pulse/NEW before a crash)
	# and the final statistics.
	last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' \
		"$log" | tail -n 1)
	echo "$last"
	grep '^stat::' "$log"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
	echo "| fuzz_$t | ${secs} s | ${execs:-?} | ${rate:-?} |" \
		"${cov:-?} / ${ft:-?} | ${corp:-?} | $crashes |" \
		"$(date -u +%Y-%m-%d) |"
done
exit $status
