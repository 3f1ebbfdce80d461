# wufpress — `make` installs what is missing, builds bin/wufpress and renders the bundled site;
# `make test` builds and runs every test.

BUILD_PKGS := gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev liblua5.4-dev \
  libyaml-dev libhpdf-dev libharfbuzz-dev libfribidi-dev libicu-dev libhyphen-dev \
  libfontconfig-dev libmicrohttpd-dev
DATA_PKGS := hyphen-en-us hyphen-fr hyphen-es hyphen-ru fonts-liberation2 fonts-hosny-amiri \
  fonts-arphic-uming fonts-wqy-zenhei
TEST_PKGS := poppler-utils qpdf libxml2-utils python3
PKGS := $(BUILD_PKGS) $(DATA_PKGS) $(TEST_PKGS)

LIBS := libcmark-gfm lua5.4 yaml-0.1 harfbuzz harfbuzz-subset fribidi \
  icu-uc icu-i18n fontconfig libmicrohttpd

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread -MMD -MP -Igenerator
PKG_CFLAGS = $(shell pkg-config --cflags $(LIBS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(LIBS) 2>/dev/null) -lcmark-gfm-extensions -lhpdf -lhyphen -lm

SRC := $(filter-out generator/main.c,$(wildcard generator/*.c generator/*/*.c))
OBJ := $(SRC:%.c=build/%.o)
TOOLS := $(patsubst tests/tools/%.c,build/tools/%,$(wildcard tests/tools/*.c))

.PHONY: all deps site test clean
all: deps bin/wufpress site

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

bin/wufpress: build/generator/main.o build/libwufpress.a
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/libwufpress.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/tools/%: tests/tools/%.c build/libwufpress.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< build/libwufpress.a $(PKG_LIBS) $(LDFLAGS)

site: bin/wufpress
	./bin/wufpress build --quiet

test: deps bin/wufpress $(TOOLS)
	@tests/run.sh

clean:
	rm -rf build bin public .public.*

-include $(OBJ:.o=.d) build/generator/main.d
