# tarn build.  `make` builds build/tarn (release, -O2 -g); `make check`
# builds a sanitized copy under build/asan and runs every suite; `make demo`
# runs tarn on examples/.  Both first run scripts/setup.sh, which installs
# missing Debian (and, for tests, Python) packages and is quiet otherwise.

CC      ?= gcc
BUILD   ?= build
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers \
           -Iinclude -Isrc -I/usr/include/pg_query $(OPT) $(SAN) -MMD -MP -pthread
LDLIBS  := -lpg_query -lprotobuf-c -lsqlite3 -lzstd -lsnappy -llz4 -lz -lssl -lcrypto \
           -lpcre2-8 -lxxhash -lutf8proc -ledit -lm -pthread

LIB_SRC  := $(shell find src -name '*.c' -not -path 'src/cli/*' | sort)
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all setup check demo bench clean unit-tests
all: setup $(BUILD)/tarn

setup:
	@scripts/setup.sh

$(BUILD)/libtarn.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	@echo "  AR  $@"
	@ar rcs $@ $^

$(BUILD)/tarn: $(CLI_OBJ) $(BUILD)/libtarn.a
	@echo "  LD  $@"
	@$(CC) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libtarn.a $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtarn.a
	@mkdir -p $(@D)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -MF $@.d -o $@ $< $(BUILD)/libtarn.a $(LDLIBS) -lcmocka

unit-tests: $(UNIT_BIN)

# The sanitized build used by the test suites.
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
check:
	@scripts/setup.sh --with-python
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" SAN="$(SANFLAGS)" build/asan/tarn unit-tests
	@scripts/run-tests.sh build/asan

demo: all
	@scripts/demo.sh $(BUILD)/tarn

bench: all
	@scripts/setup.sh --with-python
	@bench/run.sh $(BUILD)/tarn
	@python3 bench/tpch/run.py --sf 0.1 --tarn $(BUILD)/tarn

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d)
