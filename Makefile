# biebsync: build, test, run.  `make help` lists the targets.
#
# Two variants share this file: the release build in build/ and the
# AddressSanitizer + UndefinedBehaviorSanitizer build in build/asan/
# (VARIANT=asan).  Sources are found by folder, so a new .c file under src/
# needs no edit here.

VARIANT ?= release
PKGS     = libmicrohttpd libsodium sqlite3 inih zlib expat freexl libutf8proc \
           xlsxwriter nettle libqrencode gnutls libseccomp libpq
TESTPKGS = cmocka

# Strict warnings, one per line so each can be discussed (see STYLE.md).
WARN = -Wall -Wextra -Werror \
       -Wshadow \
       -Wstrict-prototypes \
       -Wmissing-prototypes \
       -Wpointer-arith \
       -Wcast-qual \
       -Wwrite-strings \
       -Wformat=2 \
       -Wvla \
       -Wno-format-nonliteral

# Hardening (see the probes below for the options that depend on $(CC)).
HARDEN  = -fstack-protector-strong -fPIE $(STACKCLASH) $(CFPROT)
LDHARD  = -pie -Wl,-z,relro,-z,now $(CETLD)

ifeq ($(VARIANT),asan)
B       = build/asan
OPT     = -O1 -g -fno-omit-frame-pointer \
          -fsanitize=address,undefined -fno-sanitize-recover=all
LDOPT   = -fsanitize=address,undefined
else
B       = build
OPT     = -O2 -g -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=$(FORTIFY) $(JCC)
LDOPT   =
endif

CC      ?= cc
# No branch across a 32-byte boundary: on Intel CPUs with the JCC erratum
# microcode (Skylake to Cascade Lake, as on these machines) such branches
# are slow, so the layout of unrelated code moved check --cells on the
# 1,000,000-row CSV between 84 and 97 ms.  Only where the assembler knows
# the option.
JCC    := $(shell echo 'int x;' | $(CC) -Wa,-mbranches-within-32B-boundaries \
            -x c -c -o /dev/null - 2>/dev/null && \
            echo -Wa,-mbranches-within-32B-boundaries)
# Hardening where the compiler knows it (issue 12), probed like JCC:
# stack clash protection (guard-page probes for large frames), CET
# control-flow protection (x86 only), and _FORTIFY_SOURCE=3 (object sizes
# known only at run time) where compiler and C library support it, else 2.
# `sh scripts/hardening.sh` checks the result with hardening-check.
probe       = $(shell echo 'int x;' | $(CC) -Werror $(1) -x c -c \
                -o /dev/null - 2>/dev/null && echo $(1))
STACKCLASH := $(call probe,-fstack-clash-protection)
CFPROT     := $(call probe,-fcf-protection)
H          := \#
FORTIFY    := $(shell printf '$(H)include <stdio.h>\n$(H)if __USE_FORTIFY_LEVEL < 3\n$(H)error\n$(H)endif\n' | \
                $(CC) -O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -x c -c \
                -o /dev/null - 2>/dev/null && echo 3 || echo 2)
# Debian 12's C start files (Scrt1.o, crti.o, crtn.o) carry no CET note,
# so the linker would drop the IBT/SHSTK marking that every object of ours
# has; -z ibt -z shstk keeps it.  The kernel and ld.so turn CET on only when
# every loaded object is marked, so the marking is safe on such systems.
CETLD      := $(if $(CFPROT),$(shell echo 'int main(void){return 0;}' | \
                $(CC) -fcf-protection -Wl,-z,ibt,-z,shstk -x c \
                -o /dev/null - 2>/dev/null && echo -Wl,-z,ibt,-z,shstk))
CFLAGS  ?=
# Every C file gets src/base/banned.h first (see there).
BANNED  = -include src/base/banned.h
CFLAGS  += -std=c11 -D_GNU_SOURCE $(BANNED) $(OPT) $(WARN) $(HARDEN) \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  = $(shell pkg-config --libs $(PKGS)) -lpthread -lm

# Objects are rebuilt when the flags change, so a new warning or hardening
# option reaches every object and not only those edited since.
FLAGS   = $(CC) $(CFLAGS) $(LDHARD)
STAMP   = $(B)/flags
$(shell mkdir -p $(B) && echo '$(FLAGS)' | cmp -s - $(STAMP) || \
        echo '$(FLAGS)' > $(STAMP))

SRC     = $(wildcard src/*/*.c)
LIBSRC  = $(filter-out src/cli/main.c,$(SRC))
LIBOBJ  = $(LIBSRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/assets.o \
          $(B)/obj/gen/data.o
ASSETS  = $(sort $(wildcard assets/*))
DATA    = $(sort $(wildcard data/*))
TESTSRC = $(wildcard tests/*/test_*.c)
TESTS   = $(TESTSRC:%.c=$(B)/%)

.PHONY: all tests test check asan run lint format clean help deps fuzz install \
        security fuzz-mhd
.DEFAULT_GOAL := all

all: $(B)/biebsync

help:
	@echo "make          build build/biebsync"
	@echo "make run      install packages, build, create the demo school, serve on 127.0.0.1:8080"
	@echo "make test     install packages, build, run every test"
	@echo "make asan     the whole test suite under ASan + UBSan"
	@echo "make lint     formatting, include rules, man pages, systemd unit"
	@echo "make install  binary, man pages, systemd unit, example config (PREFIX, DESTDIR)"
	@echo "make format   reformat the sources with clang-format"
	@echo "make fuzz     run each libFuzzer target FUZZTIME seconds (clang)"
	@echo "make fuzz-mhd libmicrohttpd instrumented for the HTTP fuzz targets (once)"
	@echo "make security the attack run on loopback (sqlmap, slowhttptest, testssl, floods); figures into SECURITY.md"

$(B)/biebsync: $(B)/obj/src/cli/main.o $(LIBOBJ)
	@echo "LD $@"
	@$(CC) $(LDOPT) $(LDHARD) -o $@ $^ $(LDLIBS)

$(B)/obj/%.o: %.c $(STAMP)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/gen/assets.c: scripts/embed.sh $(ASSETS)
	@mkdir -p $(@D)
	@sh scripts/embed.sh web_assets $(ASSETS) > $@.tmp && mv $@.tmp $@

$(B)/gen/data.c: scripts/embed.sh $(DATA)
	@mkdir -p $(@D)
	@sh scripts/embed.sh data_files $(DATA) > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/%.o: $(B)/gen/%.c $(STAMP)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -Isrc -c -o $@ $<

$(B)/tests/%: tests/%.c $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(shell pkg-config --cflags $(TESTPKGS)) $(LDOPT) \
		$(LDHARD) -o $@ $< $(LIBOBJ) $(LDLIBS) \
		$(shell pkg-config --libs $(TESTPKGS))

# it starts the binary beside it as its reader
$(B)/tests/import/test_sandboxed: $(B)/biebsync

tests: $(B)/biebsync $(TESTS) $(B)/fuzz/replay $(B)/fuzz/replay_xmlscan \
       $(B)/tests/fixtures/gen

# The import tests' fixture generator: typed cells on stdin -> .xlsx
# (tests/fixtures/gen.mjs drives it; libxlsxwriter only, no project code).
$(B)/tests/fixtures/gen: tests/fixtures/gen.c
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(shell pkg-config --cflags xlsxwriter) $(LDOPT) \
		$(LDHARD) -o $@ $< $(shell pkg-config --libs xlsxwriter)

# The fuzz harness without libFuzzer, replaying saved inputs in the tests
# (.xls inputs through the sandbox: see fuzz/replay.c).
$(B)/fuzz/replay: fuzz/replay.c fuzz/fuzz_sheet.c $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "CC fuzz/replay.c"
	@$(CC) $(CFLAGS) -DREPLAY_SANDBOX $(LDOPT) $(LDHARD) -o $@ \
		fuzz/replay.c fuzz/fuzz_sheet.c $(LIBOBJ) $(LDLIBS)

# The same for the fast XML path's target (fuzz/regress/xmlscan-*).
$(B)/fuzz/replay_xmlscan: fuzz/replay.c fuzz/fuzz_xmlscan.c \
                          tests/sheet/xmllog.h $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "CC fuzz/fuzz_xmlscan.c"
	@$(CC) $(CFLAGS) $(LDOPT) $(LDHARD) -o $@ fuzz/replay.c \
		fuzz/fuzz_xmlscan.c $(LIBOBJ) $(LDLIBS)

# The same for the HTTP targets (fuzz/regress/form-*, multipart-*,
# request-*): the multipart and request ones start the real server of
# src/http/ in the replaying process (fuzz/httpfuzz.c).
$(B)/fuzz/replay_form: fuzz/replay.c fuzz/fuzz_form.c $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "CC fuzz/fuzz_form.c"
	@$(CC) $(CFLAGS) $(LDOPT) $(LDHARD) -o $@ fuzz/replay.c \
		fuzz/fuzz_form.c $(LIBOBJ) $(LDLIBS)

$(B)/fuzz/replay_%: fuzz/replay.c fuzz/fuzz_%.c fuzz/httpfuzz.c \
                    fuzz/httpfuzz.h $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "CC fuzz/fuzz_$*.c"
	@$(CC) $(CFLAGS) $(LDOPT) $(LDHARD) -o $@ fuzz/replay.c \
		fuzz/fuzz_$*.c fuzz/httpfuzz.c $(LIBOBJ) $(LDLIBS)

# libFuzzer targets (clang): fuzz_all reads every format, fuzz_xlsx etc.
# only inputs sniffed as that format; fuzz_xmlscan checks the fast XML path
# against expat; fuzz_wire the decoder of what a sandboxed reader sends
# back (src/roster/wire.c).  Only src/sheet and src/base go in (and
# src/roster for fuzz_wire).  The HTTP targets (FUZZ_HTTP): fuzz_form
# checks http_form_parse() against a reference parser; fuzz_multipart and
# fuzz_request send each input over loopback to the real server of
# src/http/, started once per process (fuzz/httpfuzz.c); only src/http
# and src/base go in.
FUZZ_FORMATS = all xlsx xls ods csv edexml
FUZZ_HTTP    = form multipart request
FUZZ_TARGETS = $(FUZZ_FORMATS) xmlscan wire $(FUZZ_HTTP)
tests: $(FUZZ_HTTP:%=$(B)/fuzz/replay_%)
FUZZTIME ?= 60
FUZZSRC  = $(wildcard src/sheet/*.c) src/base/buf.c src/base/mem.c \
           src/base/text.c src/base/err.c src/base/log.c src/base/strparse.c \
           src/base/lang.c src/base/cpus.c
FUZZPKGS = zlib expat freexl libutf8proc

build/fuzz/fuzz_%: fuzz/fuzz_sheet.c $(FUZZSRC)
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE $(BANNED) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined $(WARN) \
		$(if $(filter all,$*),,-DFUZZ_ONLY=SHEET_FMT_$(shell echo $* | tr a-z A-Z)) \
		$(shell pkg-config --cflags $(FUZZPKGS)) -o $@ $^ \
		$(shell pkg-config --libs $(FUZZPKGS))

build/fuzz/fuzz_xmlscan: fuzz/fuzz_xmlscan.c tests/sheet/xmllog.h $(FUZZSRC)
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE $(BANNED) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined $(WARN) \
		$(shell pkg-config --cflags $(FUZZPKGS)) -o $@ \
		fuzz/fuzz_xmlscan.c $(FUZZSRC) \
		$(shell pkg-config --libs $(FUZZPKGS))

HTTPFUZZSRC  = $(wildcard src/http/*.c) src/base/buf.c src/base/mem.c src/base/heavy.c \
               src/base/err.c src/base/log.c src/base/strparse.c
HTTPFUZZPKGS = libmicrohttpd gnutls
# libmicrohttpd instrumented for the fuzzer (`make fuzz-mhd`, fuzz/mhd.sh)
# when it was built: then the fuzzer sees the library's own parsing too;
# else the system's library, exercised but unseen.
MHDFUZZ     := $(wildcard build/fuzz/mhd/libmicrohttpd.a)
HTTPFUZZLIBS = $(if $(MHDFUZZ),$(MHDFUZZ) $(shell pkg-config --libs gnutls), \
               $(shell pkg-config --libs $(HTTPFUZZPKGS)))

build/fuzz/fuzz_form: fuzz/fuzz_form.c src/http/form.c
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE $(BANNED) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined $(WARN) -o $@ $^

build/fuzz/fuzz_multipart build/fuzz/fuzz_request: build/fuzz/fuzz_%: \
		fuzz/fuzz_%.c fuzz/httpfuzz.c fuzz/httpfuzz.h $(HTTPFUZZSRC) \
		$(MHDFUZZ)
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE $(BANNED) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined $(WARN) \
		$(shell pkg-config --cflags $(HTTPFUZZPKGS)) -o $@ \
		fuzz/fuzz_$*.c fuzz/httpfuzz.c $(HTTPFUZZSRC) \
		$(HTTPFUZZLIBS) -lpthread

fuzz-mhd:
	sh fuzz/mhd.sh

# the roster module without the OneRoster export (the only part that needs
# nettle, for its group ids)
WIRESRC = $(filter-out src/roster/oneroster.c,$(wildcard src/roster/*.c))
build/fuzz/fuzz_wire: fuzz/fuzz_wire.c $(WIRESRC) $(FUZZSRC)
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE $(BANNED) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined $(WARN) \
		-Wno-missing-field-initializers \
		$(shell pkg-config --cflags $(FUZZPKGS)) -o $@ $^ \
		$(shell pkg-config --libs $(FUZZPKGS)) -lm

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	sh fuzz/run.sh $(FUZZTIME) $(FUZZ_TARGETS)

# `make test` builds the libFuzzer targets too (release variant only, to keep
# `make asan` short) and tests/run.sh runs each one briefly; without clang
# nothing is built here and tests/run.sh counts the fuzz runs as failed.
HAVE_CLANG := $(shell command -v clang 2>/dev/null)
ifeq ($(VARIANT),release)
ifneq ($(HAVE_CLANG),)
FUZZBIN = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
endif
endif

# Benchmarks (issues 3 and 4): bench/run.sh generates student lists under
# bench/out/ (git-ignored), times reading and importing them and prints the
# tables that bench/RESULTS.md keeps.  BENCH_SIZES="1000 100000" for a
# shorter run.
BENCHBIN = $(B)/bench/gen $(B)/bench/timeit $(B)/bench/floor \
           $(B)/bench/phases

$(B)/bench/gen: bench/gen.c
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(shell pkg-config --cflags xlsxwriter) $(LDHARD) \
		-o $@ $< $(shell pkg-config --libs xlsxwriter zlib)

$(B)/bench/timeit: bench/timeit.c
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(LDHARD) -o $@ $<

$(B)/bench/floor: bench/floor.c
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(LDHARD) -o $@ $< $(shell pkg-config --libs expat zlib)

$(B)/bench/phases: bench/phases.c $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(LDOPT) $(LDHARD) -o $@ $< $(LIBOBJ) $(LDLIBS)

.PHONY: bench
bench: $(B)/biebsync $(BENCHBIN)
	sh bench/run.sh $(B)

# Run everything that is built; used by test and asan after deps.
check: tests $(FUZZBIN)
	FUZZ_TARGETS="$(FUZZ_TARGETS)" sh tests/run.sh $(B)

deps:
	sh scripts/deps.sh test

test:
	sh scripts/deps.sh test
	$(MAKE) check

asan:
	sh scripts/deps.sh test
	$(MAKE) VARIANT=asan check

run:
	sh scripts/deps.sh run
	$(MAKE) all
	./build/biebsync demo
	./build/biebsync serve

lint:
	sh scripts/lint.sh

# The attack run of issue 12 against fresh servers on loopback (under 15
# minutes); writes its figures into SECURITY.md.  Its tools (sqlmap,
# slowhttptest, testssl.sh) are installed only here, never for `make test`.
security:
	sh scripts/deps.sh security
	$(MAKE) all
	sh scripts/security.sh $(B)/biebsync

format:
	clang-format -i $(SRC) $(wildcard src/*/*.h) $(TESTSRC) $(wildcard tests/*.h tests/*/*.h tests/fixtures/*.c fuzz/*.c bench/*.c)

# Install the release binary, the man pages, the systemd unit (its paths
# filled in) and the example configuration, which becomes
# $(SYSCONFDIR)/biebsync/biebsync.conf only when no such file exists yet.
# DESTDIR stages the whole tree (tests/install.sh installs into a temporary
# one).
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
BINDIR      = $(PREFIX)/bin
MANDIR      = $(PREFIX)/share/man
DOCDIR      = $(PREFIX)/share/doc/biebsync
UNITDIR    ?= $(PREFIX)/lib/systemd/system

install: $(B)/biebsync
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	        $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) \
	        $(DESTDIR)$(SYSCONFDIR)/biebsync
	install -m 0755 $(B)/biebsync $(DESTDIR)$(BINDIR)/biebsync
	install -m 0644 docs/biebsync.1 $(DESTDIR)$(MANDIR)/man1/biebsync.1
	install -m 0644 docs/biebsync.conf.5 $(DESTDIR)$(MANDIR)/man5/biebsync.conf.5
	install -m 0644 docs/biebsync.conf.example $(DESTDIR)$(DOCDIR)/biebsync.conf.example
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	        docs/biebsync.service >$(DESTDIR)$(UNITDIR)/biebsync.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/biebsync.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/biebsync/biebsync.conf ] || \
	        install -m 0644 docs/biebsync.conf.example \
	        $(DESTDIR)$(SYSCONFDIR)/biebsync/biebsync.conf

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
