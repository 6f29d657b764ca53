#!/bin/sh
# feed-sync.sh: keep a copy of one school's roster in step with biebsync's
# change feed, the way a library system would (docs/api.md).
#
#   BIEBSYNC_URL=https://leerlingen.bibliotheek.nl BIEBSYNC_TOKEN=bbs_... \
#     sh feed-sync.sh SCHOOL DIR
#
# The first run reads the roster (GET /api/v1/schools/SCHOOL/roster) into
# DIR/roster.json, an object of pupils by id, and keeps the feed position
# that came with it in DIR/cursor.  Every later run (from cron, say every
# five minutes) reads the changes after that position page by page
# (GET /api/v1/changes?school=SCHOOL&since=CURSOR), applies each one to the
# copy (its "after" replaces the pupil; no "after": the pupil is no longer
# on the roster), prints it, and keeps the new position.  An entry carries
# the pupil's whole new state, so applying a page twice does no harm: a run
# interrupted before it kept the new position repeats that page and ends
# the same.  Needs curl and jq.
set -eu
school=$1
dir=$2
: "${BIEBSYNC_URL:?set BIEBSYNC_URL}" "${BIEBSYNC_TOKEN:?set BIEBSYNC_TOKEN}"
mkdir -p "$dir"

get() {
	curl --fail-with-body --silent --show-error \
		-H "Authorization: Bearer $BIEBSYNC_TOKEN" "$BIEBSYNC_URL$1"
}

if [ ! -s "$dir/cursor" ]; then
	get "/api/v1/schools/$school/roster" >"$dir/page.json"
	# the group code is the roster's alone (the feed's entries have none)
	jq '.pupils | map({(.id | tostring): del(.groepscode)}) | add // {}' \
		"$dir/page.json" >"$dir/roster.json.new"
	jq -r .cursor "$dir/page.json" >"$dir/cursor.new"
	mv "$dir/roster.json.new" "$dir/roster.json"
	mv "$dir/cursor.new" "$dir/cursor"
	echo "roster read: $(jq length "$dir/roster.json") pupils"
fi

more=true
while [ "$more" = true ]; do
	get "/api/v1/changes?school=$school&since=$(cat "$dir/cursor")&limit=500" \
		>"$dir/page.json"
	# apply the page: entries of pupils erased since (pupil null) are
	# skipped
	jq --slurpfile page "$dir/page.json" '
		reduce ($page[0].changes[] | select(.pupil != null)) as $c (.;
			if $c.after == null then del(.[$c.pupil | tostring])
			else .[$c.pupil | tostring] = ($c.after + {id: $c.pupil})
			end)' "$dir/roster.json" >"$dir/roster.json.new"
	jq -r '.changes[] | "\(.at) \(.event) \(.kind // "-") leerling \(.pupil)"' \
		"$dir/page.json"
	jq -r .next "$dir/page.json" >"$dir/cursor.new"
	mv "$dir/roster.json.new" "$dir/roster.json"
	mv "$dir/cursor.new" "$dir/cursor"
	more=$(jq -r .more "$dir/page.json")
done
rm -f "$dir/page.json"
