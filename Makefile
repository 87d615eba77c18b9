# burrow — one build for everything.
#   make            build every program into build/
#   make SAN=1      the same with AddressSanitizer + UndefinedBehaviorSanitizer
#   make check      install missing dependencies, build, run unit + integration tests
#   make demo       install missing dependencies, build, run the rootless demo
#   make install PREFIX=/usr/local
#   make idmap      build one program and its unit tests (idmap netns slirp
#                   bridge conmon launcher; "make lib" for libburrow)
#   make check T=idmap   run only tests whose file name contains "idmap"
#   make adversarial     the adversarial tier alone (make check T=adv_)
#   make soak       10 minutes of mixed load, fails on RSS/fd growth (SOAK_SECONDS)
#
# Sources are discovered: every *.c in a program folder is a module of that
# program, <folder>/<program>.c holds main(); tests/unit/test_<folder>_*.c are cmocka
# tests linked against that folder's modules; tests/tools/*.c are test helpers;
# tests/fuzz/fuzz_*.c are libFuzzer targets (make fuzz, clang).  Adding a file
# never needs a Makefile change.

PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= cc
PKGS    := libmnl libnftnl jansson libnl-3.0 libnl-route-3.0 libseccomp libarchive libcrypto
CFLAGS  ?= -O2 -g
BCFLAGS := -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -fno-strict-aliasing \
           -I. -Ilib $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
BLDFLAGS := -Wl,--as-needed
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ifeq ($(SAN),1)
BCFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
BLDFLAGS += -fsanitize=address,undefined
BUILD   := build-san
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)
BCFLAGS += -DBURROW_VERSION=\"$(VERSION)\"

# folder -> installed program name; main() lives in <folder>/<folder>.c
DIRS          := idmap netns slirp bridge conmon launcher dns bypass
PROG_idmap    := burrow-idmap
PROG_netns    := burrow-netns
PROG_slirp    := burrow-slirp
PROG_bridge   := burrow-bridge
PROG_conmon   := burrow-mon
PROG_launcher := burrow
PROG_dns      := burrow-dns
PROG_bypass   := burrow-bypass

LIB_SRCS  := $(wildcard lib/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIBBURROW := $(BUILD)/libburrow.a

# per folder: modules archive (everything but main), and the program
mods  = $(filter-out $(1)/$(1).c,$(wildcard $(1)/*.c))
modar = $(BUILD)/$(1)/lib$(1).a
PROGRAMS := $(foreach d,$(DIRS),$(if $(wildcard $(d)/$(d).c),$(BUILD)/bin/$(PROG_$(d))))
MODARS   := $(foreach d,$(DIRS),$(call modar,$(d)))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%)

.PHONY: all check demo deps install clean fuzz unit tools lib $(DIRS) bench consumers adversarial soak
all: $(PROGRAMS) $(UNIT_BINS) $(TOOL_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BCFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIBBURROW): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Per-program link overrides: LINK_<folder> (extra flags), LIBS_<folder> (instead
# of LDLIBS).  burrow-mon links statically against libc alone: one runs per
# container and its resident memory is its budget (ld.so and a shared libc's
# fault-around pages cost ~0.8 MB); sanitizer builds cannot link statically.
# burrow links statically too: loading four shared objects cost ~4 ms of the
# ~50 ms a `run --network none` takes (its goal is 1.3x a bare `crun run`).
ifneq ($(SAN),1)
LINK_conmon := -static
LIBS_conmon := -lc
# burrow-bridge: one process per container setup and teardown, where start-up
# is most of the time; libnftnl, jansson and libnl-route-3 linked in (loading
# libnl's two shared objects cost ~0.2 ms a run, linking them in ~0.1 ms;
# Debian ships no libmnl.a, so libmnl and libc stay shared)
LIBS_bridge := -Wl,-Bstatic -lnftnl -ljansson -lnl-route-3 -lnl-3 -Wl,-Bdynamic -lmnl
# burrow-bypass: one per container beside burrow-slirp; its budget is 2 MiB
LINK_bypass := -static
LIBS_bypass := -ljansson -lc
LINK_launcher := -static
LIBS_launcher := -ljansson -lnl-route-3 -lnl-3 -larchive -lacl -llzma -lzstd -llz4 -lbz2 -lz -lcrypto -lpthread
endif

define prog_rules
$(call modar,$(1)): $(patsubst %.c,$(BUILD)/%.o,$(call mods,$(1))) $(BUILD)/empty.o
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
$(BUILD)/bin/$(PROG_$(1)): $(BUILD)/$(1)/$(1).o $(call modar,$(1)) $(LIBBURROW)
	@mkdir -p $$(dir $$@)
	$(CC) $(BLDFLAGS) $(LDFLAGS) $(LINK_$(1)) -o $$@ $$^ $(or $(LIBS_$(1)),$(LDLIBS))
$(1): $(BUILD)/bin/$(PROG_$(1)) $(filter $(BUILD)/tests/unit/test_$(1)_%,$(UNIT_BINS)) $(TOOL_BINS)
endef
$(foreach d,$(DIRS),$(eval $(call prog_rules,$(d))))

# an empty object so that a folder with only main() still gets an archive
$(BUILD)/empty.o:
	@mkdir -p $(dir $@)
	echo 'typedef int burrow_empty_unit;' | $(CC) $(BCFLAGS) $(CFLAGS) -x c -c -o $@ -

# tests/unit/test_<folder>_<module>.c links that folder's modules;
# tests/unit/test_lib_<module>.c links libburrow alone
define unit_rules
$(BUILD)/tests/unit/test_$(1)_%: tests/unit/test_$(1)_%.c $(call modar,$(1)) $(LIBBURROW)
	@mkdir -p $$(dir $$@)
	$(CC) $(BCFLAGS) $(CFLAGS) $(BLDFLAGS) $(LDFLAGS) -o $$@ $$< $(call modar,$(1)) $(LIBBURROW) -lcmocka $(LDLIBS)
endef
$(foreach d,$(DIRS),$(eval $(call unit_rules,$(d))))
$(BUILD)/tests/unit/test_lib_%: tests/unit/test_lib_%.c $(LIBBURROW)
	@mkdir -p $(dir $@)
	$(CC) $(BCFLAGS) $(CFLAGS) $(BLDFLAGS) $(LDFLAGS) -o $@ $< $(LIBBURROW) -lcmocka $(LDLIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIBBURROW)
	@mkdir -p $(dir $@)
	$(CC) $(BCFLAGS) $(CFLAGS) $(BLDFLAGS) $(LDFLAGS) -o $@ $< $(LIBBURROW) $(LDLIBS)

unit: $(UNIT_BINS)
lib: $(LIBBURROW) $(filter $(BUILD)/tests/unit/test_lib_%,$(UNIT_BINS)) $(TOOL_BINS)
tools: $(TOOL_BINS)

deps:
	@scripts/deps.sh

# T=pattern limits which tests run
check: deps
	$(MAKE) all
	BUILD=$(BUILD) tests/run.sh $(T)

# the adversarial tier (tests/integration/adv_*.sh) on its own
# the current engines the compatibility tests drive, built from their Go
# modules into /var/cache/burrow/consumers (scripts/consumers.sh)
consumers:
	@scripts/consumers.sh

adversarial:
	$(MAKE) check T=adv_

# mixed load for SOAK_SECONDS (default 600), not part of make check
soak: deps
	$(MAKE) all
	BUILD=$(BUILD) tests/soak/soak.sh

demo: deps
	$(MAKE) all
	BUILD=$(BUILD) scripts/demo.sh

bench: deps
	$(MAKE) all
	BUILD=$(BUILD) tests/bench/run.sh $(T)

# libFuzzer targets: clang, ASan+UBSan; run each for FUZZ_SECONDS
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
FUZZ_SECONDS ?= 60
# fuzz_<folder>_*.c links that folder's modules, any other fuzz_*.c libburrow
# alone, so one folder's unfinished code never breaks another's fuzz target
fuzz_ars = $(foreach d,$(filter $(word 2,$(subst _, ,$(notdir $(1)))),$(DIRS)),build-fuzz/$(d)/lib$(d).a)
# (a target is rebuilt when its folder's modules change too, not only lib/)
build-fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(wildcard lib/*.h) $(foreach d,$(DIRS),$(wildcard $(d)/*.[ch]))
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" build-fuzz/libburrow.a $(call fuzz_ars,$@)
	clang $(BCFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(call fuzz_ars,$@) build-fuzz/libburrow.a $(LDLIBS)
# tests/fuzz/seeds/<target>/, when there is one, seeds the corpus (read only)
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); echo "== $$f ($(FUZZ_SECONDS)s)"; mkdir -p build-fuzz/corpus/$$n; \
	  $$f -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/$$n $$(ls -d tests/fuzz/seeds/$$n 2>/dev/null) || exit 1; done

install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	for m in doc/*.1; do [ -f "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(PREFIX)/share/man/man1/; done; true
	# helpers/: the names engines look for (Podman's helper_binaries_dir)
	install -d $(DESTDIR)$(PREFIX)/lib/burrow/helpers
	ln -sf ../../../bin/burrow-slirp $(DESTDIR)$(PREFIX)/lib/burrow/helpers/pasta
	ln -sf ../../../bin/burrow-bridge $(DESTDIR)$(PREFIX)/lib/burrow/helpers/netavark
	ln -sf ../../../bin/burrow-dns $(DESTDIR)$(PREFIX)/lib/burrow/helpers/aardvark-dns
	# what burrow's errors tell the user to run, and the shell completions
	install -m 0755 scripts/mkrootfs.sh $(DESTDIR)$(PREFIX)/bin/burrow-mkrootfs
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0644 doc/completions/burrow.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/burrow
	install -m 0644 doc/completions/_burrow $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_burrow
	install -m 0644 doc/completions/burrow.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/burrow.fish

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
