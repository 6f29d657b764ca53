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
	if [ -z "$(ls -A "$dir")" ] && [ -f "$shared/MANIFEST.tsv" ]; then
		tail -n +2 "$shared/MANIFEST.tsv" |
			awk -F'\t' -v k="$t" '(k == "all" || $7 == k) && $6 < 2000000 {print $4}' |
			while IFS= read -r f; do
				cp "$shared/files/$f" "$dir/$(echo "$f" | tr '/' '_')"
			done
	fi
	echo "== fuzz_$t for ${secs}s"
	build/fuzz/fuzz_"$t" "$dir" fuzz/seeds -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix=fuzz/regress/"$t"- 2>&1 | tail -n 12
done
