#!/bin/sh
# make fuzz: run each libFuzzer target for SECONDS, seeded from the shared
# corpus (files of that kind) and fuzz/seeds/; the working corpus lives in
# fuzz/corpus/<target>/ (not committed) and crashes land in fuzz/regress/,
# which `make test` replays.
#   sh fuzz/run.sh SECONDS TARGET...
set -u
cd "$(dirname "$0")/.."
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp}
secs=$1
shift
shared=../shared/corpus
for t in "$@"; do
	dir=fuzz/corpus/$t
	mkdir -p "$dir"
	if [ "$t" != wire ] && [ -z "$(ls -A "$dir")" ] &&
		[ -f "$shared/MANIFEST.tsv" ]; then
		tail -n +2 "$shared/MANIFEST.tsv" |
			awk -F'\t' -v k="$t" '(k == "all" || $7 == k) && $6 < 2000000 {print $4}' |
			while IFS= read -r f; do
				cp "$shared/files/$f" "$dir/$(echo "$f" | tr '/' '_')"
			done
	fi
	# Targets that read .xls run freexl in process, and freexl 1.0.6 has
	# bugs of its own that we cannot fix (fuzz/regress/freexl-*; the server
	# reads every file in a sandboxed child, where they are refused): such
	# a crash must not end the run, so those targets fuzz in child
	# processes (-fork=1) that may crash (-ignore_crashes=1).  Their
	# crashes still land in fuzz/regress/, and the replay reads .xls
	# inputs through the sandbox (fuzz/replay.c).
	fork=
	case $t in all | xls) fork="-fork=1 -ignore_crashes=1" ;; esac
	echo "== fuzz_$t for ${secs}s"
	# shellcheck disable=SC2086
	seeds=fuzz/seeds
	[ "$t" = wire ] && seeds=fuzz/seeds/wire
	build/fuzz/fuzz_"$t" "$dir" $seeds -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2560 -print_final_stats=1 $fork \
		-artifact_prefix=fuzz/regress/"$t"- 2>&1 | tail -n 12
done
