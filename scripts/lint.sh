#!/bin/sh
# make lint: formatting (clang-format), the include rules between folders
# (DESIGN.md: lower layers never include upper ones), the stylesheet's
# blocks, the man pages and the systemd unit's exposure (scripts/unitcheck.sh,
# skipped without systemd-analyze).
set -eu
cd "$(dirname "$0")/.."
status=0

files=$(find src tests fuzz bench -name '*.[ch]' 2>/dev/null | sort)
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
	echo "lint: formatting differs; run 'make format'"
	status=1
fi

# Which folders each folder of src/ may include.
allowed() {
	case $1 in
	base) echo "base" ;;
	sheet) echo "base sheet" ;;
	roster) echo "base sheet roster" ;;
	store) echo "base roster store" ;;
	auth) echo "base store auth" ;;
	import) echo "base sheet roster store auth import" ;;
	http) echo "base http" ;;
	web) echo "base sheet roster store auth import http web" ;;
	api) echo "base sheet roster store auth import http web api" ;;
	cli) echo "base sheet roster store auth import http web api cli" ;;
	*) echo "" ;;
	esac
}
for f in $(find src -name '*.[ch]' | sort); do
	dir=$(basename "$(dirname "$f")")
	ok=$(allowed "$dir")
	for inc in $(sed -n 's/^#include "\.\.\/\([a-z]*\)\/.*/\1/p' "$f"); do
		case " $ok " in
		*" $inc "*) ;;
		*)
			echo "lint: $f includes src/$inc/, which src/$dir/ may not use"
			status=1
			;;
		esac
	done
done

# A stylesheet with an unclosed block drops every rule after it quietly.
for css in assets/*.css; do
	if [ "$(tr -cd '{' <"$css" | wc -c)" -ne "$(tr -cd '}' <"$css" | wc -c)" ]; then
		echo "lint: $css opens and closes a different number of blocks"
		status=1
	fi
done

for m in docs/*.[1-8]; do
	[ -e "$m" ] || continue
	if ! mandoc -Tlint -Wwarning "$m"; then
		echo "lint: $m has mandoc warnings"
		status=1
	fi
done
sh scripts/unitcheck.sh
case $? in
0 | 77) ;;
*) status=1 ;;
esac
[ $status -eq 0 ] && echo "lint: ok"
exit $status
