#!/bin/sh
# The full TLS scan (issue 12, point 10): start a fresh `biebsync serve`
# with TLS on loopback (a throw-away self-signed certificate, RSA unless
# KEY=ec), run testssl.sh against it (Debian package testssl.sh; a few
# minutes) and print every finding rated LOW or higher, apart from those
# about the certificate itself (self-signed, no OCSP, no CAA record and so
# on, which a real certificate decides).
#   sh scripts/testssl.sh [BINARY]     default build/biebsync
#   OUT=FILE keeps testssl's whole report in FILE.
# Exit 0 when there is no such finding, 1 when there is, 77 when testssl is
# not installed.  Not part of the normal test run:
# e2e/hardening-tls.test.mjs is the quick test of the same properties.
# Traffic goes only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
bin=${1:-build/biebsync}
TESTSSL=$(command -v testssl || command -v testssl.sh) || {
	echo "testssl: testssl.sh is not installed (apt-get install testssl.sh)"
	exit 77
}
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

if [ "${KEY:-rsa}" = ec ]; then
	newkey="ec -pkeyopt ec_paramgen_curve:P-256"
else
	newkey=rsa:2048
fi
# shellcheck disable=SC2086
openssl req -x509 -newkey $newkey -nodes -keyout "$dir/key.pem" \
	-out "$dir/cert.pem" -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 2>/dev/null || {
	echo "testssl: openssl could not make a certificate"
	exit 1
}
"$bin" serve --db "sqlite:$dir/biebsync.db" --listen 127.0.0.1:0 \
	--tls-cert "$dir/cert.pem" --tls-key "$dir/key.pem" 2>"$dir/log" &
pid=$!
port=
i=0
while [ -z "$port" ] && [ $i -lt 100 ]; do
	port=$(sed -n 's|.*listening on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$dir/log")
	[ -n "$port" ] || sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ]; then
	cat "$dir/log"
	echo "testssl: the server did not start"
	exit 1
fi

version=$(dpkg-query -W -f='${Version}' testssl.sh 2>/dev/null || echo unknown)
echo "testssl: scanning https://127.0.0.1:$port/ (testssl $version, ${KEY:-rsa} key)"
"$TESTSSL" --quiet --color 0 --warnings off --csvfile "$dir/out.csv" \
	"https://127.0.0.1:$port/" >"$dir/out.txt" 2>&1

[ -n "${OUT:-}" ] && cp "$dir/out.txt" "$OUT"

# The CSV's columns: "id","fqdn/ip","port","severity","finding","cve","cwe".
# Findings about the certificate and its trust are left out.
awk -F'","' 'NR > 1 {
	sev = $4; id = substr($1, 2)
	if (sev !~ /^(LOW|MEDIUM|HIGH|CRITICAL)$/) next
	if (id ~ /^(cert|chain_of_trust|OCSP|DNS_CAArecord|intermediate)/) next
	print sev ": " id ": " $5; n++
} END { exit n > 0 }' "$dir/out.csv" >"$dir/findings"
rc=$?
if [ ! -s "$dir/out.csv" ]; then
	cat "$dir/out.txt"
	echo "testssl: no results"
	exit 1
fi
if [ $rc -ne 0 ]; then
	cat "$dir/findings"
	echo "testssl: $(wc -l <"$dir/findings") finding(s) rated LOW or higher"
	exit 1
fi
echo "testssl: no finding rated LOW or higher apart from the certificate"
exit 0
