# wufpress — `make` installs what is missing, builds bin/wufpress and renders the bundled site;
# `make test` builds and runs every test.

BUILD_PKGS := gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev liblua5.4-dev \
  libyaml-dev libhpdf-dev libharfbuzz-dev libfribidi-dev libicu-dev libhyphen-dev \
  libfontconfig-dev libmicrohttpd-dev libpng-dev libmimalloc-dev
DATA_PKGS := hyphen-en-us hyphen-fr hyphen-es hyphen-ru fonts-liberation2 fonts-hosny-amiri \
  fonts-arphic-uming fonts-wqy-zenhei
TEST_PKGS := poppler-utils qpdf libxml2-utils python3 chromium openjdk-17-jre-headless nodejs clang fonts-urw-base35 \
  libclang-rt-14-dev
PKGS := $(BUILD_PKGS) $(DATA_PKGS) $(TEST_PKGS)

LIBS := libcmark-gfm lua5.4 yaml-0.1 harfbuzz harfbuzz-subset fribidi \
  icu-uc icu-i18n fontconfig libpng
# libmicrohttpd: headers only; `serve` loads the library itself (generator/serve.c).
HEADER_LIBS := libmicrohttpd

CC ?= cc
CFLAGS ?= -O2 -g
WP_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread -MMD -MP -Igenerator
PKG_CFLAGS = $(shell pkg-config --cflags $(LIBS) $(HEADER_LIBS) 2>/dev/null)
# mimalloc replaces malloc for the whole process (ELF interposition: it comes first). A build
# allocates millions of small objects (Lua tables and strings, cmark nodes) and frees most of
# them soon: glibc's malloc took ~15 % of a 10,000-page build, mimalloc cuts the CPU by ~20 %.
# Sanitizer builds leave it out, so that ASan sees every allocation.
MALLOC_LIBS ?= -lmimalloc
PKG_LIBS = $(MALLOC_LIBS) $(shell pkg-config --libs $(LIBS) 2>/dev/null) -lhpdf -lhyphen -lm

# BUILD and BIN let `make asan` build a second, instrumented copy beside the normal one.
BUILD ?= build
BIN ?= bin
SRC := $(filter-out generator/main.c,$(wildcard generator/*.c generator/*/*.c))
OBJ := $(SRC:%.c=$(BUILD)/%.o)
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))

.PHONY: all deps site test asan fuzzers bench clean
all: deps $(BIN)/wufpress site

# Installs missing Debian packages as root; otherwise prints the one apt-get line and stops.
deps:
	@missing=$$(for p in $(PKGS); do echo $$p; done | sort > .pkgs.want; \
	  dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(PKGS) 2>/dev/null \
	  | awk '$$1=="ii"{print $$2}' | sed 's/:.*//' | sort -u | comm -23 .pkgs.want -; rm -f .pkgs.want); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing: $$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "wufpress needs these Debian packages. Run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y" $$missing; exit 1; \
	  fi; \
	fi

$(BIN)/wufpress: $(BUILD)/generator/main.o $(BUILD)/libwufpress.a
	@mkdir -p $(BIN)
	$(CC) $(WP_CFLAGS) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/libwufpress.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WP_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libwufpress.a
	@mkdir -p $(dir $@)
	$(CC) $(WP_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libwufpress.a $(PKG_LIBS) $(LDFLAGS)

site: $(BIN)/wufpress
	./$(BIN)/wufpress build --quiet
	@bash search/index.sh public

test: deps $(BIN)/wufpress $(TOOLS)
	@WUFPRESS=$(CURDIR)/$(BIN)/wufpress TOOLS_DIR=$(CURDIR)/$(BUILD)/tools tests/run.sh

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Libraries' caches kept for the process's life are not leaks of ours: tests/lsan.supp.
asan: deps
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 WUFPRESS_SANITIZED=1 \
	  $(MAKE) test BUILD=build/asan BIN=build/asan/bin CFLAGS="$(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" MALLOC_LIBS=

# libFuzzer targets (tests/fuzz/fuzz_*.c) over an instrumented copy in build/fuzz;
# tests/test_fuzz.sh replays their seed corpus and fuzzes each for a bounded time.
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
fuzzers: deps
	@$(MAKE) -s BUILD=build/fuzz BIN=build/fuzz/bin CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" MALLOC_LIBS= $(FUZZERS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libwufpress.a
	clang $(WP_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< build/fuzz/libwufpress.a $(PKG_LIBS)

# Speed and memory against Hugo and WeasyPrint on the same input (installs them if missing).
bench: deps $(BIN)/wufpress
	@bench/run.sh

clean:
	rm -rf build bin public .public.*

-include $(OBJ:.o=.d) $(BUILD)/generator/main.d
