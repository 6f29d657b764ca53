#!/bin/sh
# fuzz/triage.sh BINARY DIR: replay every crash file in DIR (named
# *crash-*) alone with the fuzz target BINARY and say whose it is: "freexl"
# when freexl is among the frames up to the first of ours (src/), else
# "ours", with the sanitizer's error and our first frame.  One line per
# file; a file that does not crash again alone says so.
#   sh fuzz/triage.sh build/fuzz/fuzz_xls build/fuzz/log/xls-crashes
set -u
bin=$1 dir=$2
export LSAN_OPTIONS="suppressions=$(dirname "$0")/../tests/lsan.supp"
for f in "$dir"/*crash-*; do
	[ -f "$f" ] || continue
	out=$(timeout 60 "$bin" "$f" 2>&1)
	kind=$(echo "$out" | grep -m1 -o "ERROR: [A-Za-z]*Sanitizer: [A-Za-z-]*\|deadly signal")
	frames=$(echo "$out" | grep -E "^    #[0-9]+ " | awk '/\/src\// { print; exit } { print }')
	if [ -z "$kind" ]; then who="no crash alone"
	elif echo "$frames" | grep -q "libfreexl"; then who=freexl
	else who=ours; fi
	first=$(echo "$frames" | grep -m1 -o "src/[^ ]*")
	printf '%s / %s / %s / %s\n' "$who" "$kind" "$first" "${f##*/}"
done
