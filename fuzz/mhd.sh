#!/bin/sh
# make fuzz-mhd: build libmicrohttpd instrumented for libFuzzer (coverage,
# ASan, UBSan) into build/fuzz/mhd/libmicrohttpd.a, from Debian's source
# of the very version installed (0.9.75-6 on Debian 12, its patches
# applied), so that fuzz_multipart and fuzz_request see the library's own
# parsing (request line, headers, chunked bodies, the post processor) and
# not only ours.  The Makefile links the HTTP targets with it when it
# exists, else with the system's library.  Needs clang, dpkg-dev and
# Debian's source archive (fetched with apt-get through a temporary
# deb-src list; the system's apt configuration is left alone).
#   sh fuzz/mhd.sh
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/build/fuzz/mhd
work=$root/build/fuzz/mhd-src
ver=$(dpkg-query -W -f '${Version}' libmicrohttpd-dev)
rm -rf "$work"
mkdir -p "$out" "$work/lists/partial"
. /etc/os-release
cat >"$work/src.list" <<EOF
deb-src http://deb.debian.org/debian $VERSION_CODENAME main
deb-src http://deb.debian.org/debian-security $VERSION_CODENAME-security main
EOF
apt="-q -o Dir::Etc::SourceList=$work/src.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$work/lists"
# shellcheck disable=SC2086
apt-get $apt update
# shellcheck disable=SC2086
(cd "$work" && apt-get $apt source --download-only "libmicrohttpd=$ver")
(cd "$work" && dpkg-source -x ./*.dsc mhd)
cd "$work/mhd"
./configure CC=clang \
	CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined" \
	--enable-static --disable-shared --disable-doc --disable-examples \
	--disable-curl --with-gnutls >"$work/configure.log"
make -C src/microhttpd >"$work/make.log"
cp src/microhttpd/.libs/libmicrohttpd.a "$out/libmicrohttpd.a"
echo "fuzz/mhd.sh: $out/libmicrohttpd.a (libmicrohttpd $ver, instrumented)"
