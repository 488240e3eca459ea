# nestbench - top-level build.  `make help` lists the targets.
#
# Two worlds, kept apart:
#   freestanding  lib/ + vmm/ + l2-guests/*/  -> multiboot kernels in build/
#   hosted        host-testable lib/ sources + tests/unit/ -> build/host/
# microbench/ is the one folder built in both: into the bench guest and into the
# native runner build/host/bench.
# Every kernel is linked as ELF64 (build/X.elf64, with symbols for gdb) and then
# repackaged as ELF32 (build/X.elf), the container QEMU -kernel and GRUB accept.

BUILD   ?= build
.DEFAULT_GOAL := all
CC      ?= gcc
LD      ?= ld
OBJCOPY ?= objcopy

WARN    := -Wall -Wextra -Werror
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdlib \
           -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
           -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
           -Ilib -Imicrobench -I$(BUILD)/gen -MMD -MP
KLDFLAGS := -m elf_x86_64 -nostdlib -z max-page-size=0x1000 -z noexecstack -T lib/kernel.ld
# -iquote: our headers for #include "...", libc's for <...> (lib/string.h must not
# shadow <string.h> in host programs).
HCFLAGS := -std=gnu11 -O1 -g $(WARN) -iquote lib -iquote vmm -MMD -MP

# ---- freestanding runtime -------------------------------------------------
LIB_SRCS := $(wildcard lib/*.c lib/*.S)
LIB_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(LIB_SRCS)))

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -c -o $@ $<
$(BUILD)/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c -o $@ $<

# The git revision every record carries; rewritten only when it changes. The temp
# file is per process: scripts/bench runs make, and tests run scripts/bench in parallel.
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(@D)
	@rev=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
	 git diff --quiet HEAD 2>/dev/null || rev=$$rev-dirty; \
	 echo "#define NB_GIT \"$$rev\"" > $@.tmp.$$$$; cmp -s $@.tmp.$$$$ $@ || mv $@.tmp.$$$$ $@; rm -f $@.tmp.$$$$
.PHONY: FORCE

# $(call kernel,OUT,SRCDIRS): link every source of SRCDIRS with the runtime into OUT.elf
define kernel
$(1).elf64: $(patsubst %,$(BUILD)/%.o,$(basename $(wildcard $(addsuffix /*.c,$(2)) $(addsuffix /*.S,$(2))))) $(LIB_OBJS) lib/kernel.ld
	$$(LD) $$(KLDFLAGS) -o $$@ $$(filter %.o,$$^)
KERNELS += $(1).elf
endef

GUESTS := $(notdir $(patsubst %/,%,$(wildcard l2-guests/*/)))
# A guest's extra source folders: the bench guest carries the microbench cases.
SRCDIRS_bench := microbench
$(foreach g,$(GUESTS),$(eval $(call kernel,$(BUILD)/l2-guests/$(g),l2-guests/$(g) $(SRCDIRS_$(g)))))
# The early guest enters at its own code, in the loader's state, before lib/boot.S.
$(BUILD)/l2-guests/early.elf64: KLDFLAGS += --entry=early_start
$(BUILD)/l2-guests/bench/main.o $(BUILD)/vmm/stats.o: $(BUILD)/gen/version.h
# The hypervisor: vmm/ and its sub-folders (vmm/nested/, ...), whose sources include
# vmm/'s headers by name.
ifneq ($(wildcard vmm/*.c),)
$(eval $(call kernel,$(BUILD)/vmm/hv,vmm $(patsubst %/,%,$(wildcard vmm/*/))))
endif
$(BUILD)/vmm/%.o: KCFLAGS += -iquote vmm
# The chaos guest's case vmx acts as a hypervisor: it takes the VMX facts (vmx.h).
$(BUILD)/l2-guests/chaos/%.o: KCFLAGS += -iquote vmm

# The hypervisor's exit path runs on every exit: no frame pointer there (the crash
# backtrace loses these frames; every exit round trip is shorter by their setup).
HOT_PATH := $(BUILD)/vmm/run.o $(BUILD)/vmm/cpuid.o $(BUILD)/vmm/hypercall.o $(BUILD)/vmm/io.o \
            $(BUILD)/vmm/devices.o
# ... and so does every nested round trip: L2's exit reflected, L1's VMRESUME, the
# switch between vmcs01 and vmcs02 (vcpu.c).
HOT_PATH += $(BUILD)/vmm/vcpu.o $(patsubst %,$(BUILD)/vmm/nested/%.o,reflect exit12 shadow12 \
            vmx_insn vmentry12 vmcs02 msr02 msr02_bitmap)
$(HOT_PATH): KCFLAGS += -fomit-frame-pointer

%.elf: %.elf64
	$(OBJCOPY) -O elf32-i386 $< $@

# ---- hosted: unit tests ---------------------------------------------------
# Sources that are pure logic, compiled for the host as well and linked into every
# unit test: from the runtime (lib/) and from the hypervisor (vmm/).
HOST_LIB_SRCS := lib/fmt.c lib/cmdline.c lib/frame.c lib/pt.c lib/pmu.c
HOST_VMM_SRCS := vmm/caps.c vmm/ept.c vmm/exit_reasons.c vmm/vmcs_fields.c vmm/loader.c vmm/devices.c \
                 vmm/mmio_decode.c vmm/cr_check.c vmm/nested/caps12.c \
                 vmm/nested/operand.c vmm/nested/ept02.c vmm/nested/merge.c vmm/nested/wants12.c \
                 vmm/nested/shadow_vmcs.c vmm/nested/msr02_bitmap.c
UNIT_LINK_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_LIB_SRCS) $(HOST_VMM_SRCS))
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(UNIT_SRCS))
.SECONDARY: $(UNIT_LINK_OBJS)  # keep them: they are shared by every unit test

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HCFLAGS) -c -o $@ $<
$(BUILD)/tests/unit/%: tests/unit/%.c $(UNIT_LINK_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HCFLAGS) -iquote host -o $@ $< $(UNIT_LINK_OBJS) $(UNIT_EXTRA) -lcmocka

# ---- hosted: the native benchmark runner -----------------------------------
BENCH_NATIVE_SRCS := host/bench.c host/native_mem.c host/native_paging.c host/perf_counters.c lib/level.c lib/fmt.c $(wildcard microbench/*.c)
BENCH_NATIVE_OBJS := $(patsubst %.c,$(BUILD)/host/bench-native/%.o,$(BENCH_NATIVE_SRCS))
$(BUILD)/host/bench-native/%.o: %.c $(BUILD)/gen/version.h
	@mkdir -p $(@D)
	$(CC) $(HCFLAGS) -O2 -DNB_HOSTED -iquote microbench -iquote $(BUILD)/gen -c -o $@ $<
$(BUILD)/host/bench: $(BENCH_NATIVE_OBJS)
	$(CC) -o $@ $^ -lpfm
HOST_PROGS += $(BUILD)/host/bench

# ---- hosted: the PMU event encoder -------------------------------------------
$(BUILD)/host/pfmenc: host/pfmenc.c $(BUILD)/host/host/pfm.o
	$(CC) $(HCFLAGS) -o $@ $^ -lpfm
HOST_PROGS += $(BUILD)/host/pfmenc
# The golden-encoding test needs the encoder and libpfm4 besides cmocka.
$(BUILD)/tests/unit/test_pfm: $(BUILD)/host/host/pfm.o
$(BUILD)/tests/unit/test_pfm: UNIT_EXTRA := $(BUILD)/host/host/pfm.o -lpfm

# ---- hosted: the result collector ---------------------------------------------
COLLECT_SRCS := host/collect.c host/query.c host/csv.c host/record.c host/atomic.c
$(BUILD)/host/collect: $(patsubst %.c,$(BUILD)/host/%.o,$(COLLECT_SRCS))
	$(CC) -o $@ $^ -lm
HOST_PROGS += $(BUILD)/host/collect
$(BUILD)/tests/unit/test_record: $(BUILD)/host/host/record.o $(BUILD)/host/host/csv.o
$(BUILD)/tests/unit/test_record: UNIT_EXTRA := $(BUILD)/host/host/record.o $(BUILD)/host/host/csv.o -lm

# paging=shadow's guest-table walk; it reads the shadow state and guest RAM only.
$(BUILD)/tests/unit/test_gwalk: $(BUILD)/host/vmm/shadow/gwalk.o
$(BUILD)/tests/unit/test_gwalk: UNIT_EXTRA := $(BUILD)/host/vmm/shadow/gwalk.o
# The shadow tables and their pool; the test stands in for the frame allocator.
SPT_OBJS := $(BUILD)/host/vmm/shadow/spt.o $(BUILD)/host/vmm/shadow/pool.o
$(BUILD)/tests/unit/test_spt: $(SPT_OBJS)
$(BUILD)/tests/unit/test_spt: UNIT_EXTRA := $(SPT_OBJS)

$(BUILD)/tests/unit/test_native_mem: $(BUILD)/host/host/native_mem.o
$(BUILD)/tests/unit/test_native_mem: UNIT_EXTRA := $(BUILD)/host/host/native_mem.o

$(BUILD)/tests/unit/test_account: $(BUILD)/host/vmm/nested/account.o
$(BUILD)/tests/unit/test_account: UNIT_EXTRA := $(BUILD)/host/vmm/nested/account.o
$(BUILD)/tests/unit/test_cpuid_cache: $(BUILD)/host/vmm/cpuid_cache.o
$(BUILD)/tests/unit/test_cpuid_cache: UNIT_EXTRA := $(BUILD)/host/vmm/cpuid_cache.o

# The method's test runs the hosted framework on fake cases.
$(BUILD)/tests/unit/test_framework: $(BUILD)/host/bench-native/microbench/framework.o
$(BUILD)/tests/unit/test_framework: HCFLAGS += -iquote microbench
$(BUILD)/tests/unit/test_framework: UNIT_EXTRA := $(BUILD)/host/bench-native/microbench/framework.o

# ---- hosted: the /dev/kvm launcher (kvmrun) lives in its own fragment ----
-include host/kvm.mk

# ---- top-level targets ----------------------------------------------------
.PHONY: all kernels unit host test bench paper deps clean help
all: kernels unit host
kernels: $(KERNELS)
host: $(HOST_PROGS)
unit: $(UNIT_TESTS)

deps:
	scripts/deps.sh

# The README's second command: install what is missing, build, run every test.
# The paper's packages too: tests/integration/paper.sh builds the PDF.
test:
	scripts/deps.sh --paper
	$(MAKE) -j$$(nproc) all
	tests/run

# The README's first command: install what is missing, build, run the default matrix
# on the platforms present, keep it in results/run-*, draw its figures.
# BENCH_ARGS passes options to scripts/bench (see scripts/bench --help).
bench: deps
	$(MAKE) -j$$(nproc) all
	scripts/bench $(BENCH_ARGS)

# The paper from one run: your last complete `make bench` (results/latest) if there
# is one, else the reference run committed in results/reference; RESULTS=DIR picks.
RESULTS ?= $(if $(wildcard results/latest/results.csv),results/latest,results/reference)
paper:
	scripts/deps.sh --paper
	$(MAKE) $(BUILD)/host/collect
	scripts/paper $(RESULTS)

clean:
	rm -rf $(BUILD)

help:
	@echo "make           build every kernel ($(KERNELS)) and the unit tests"
	@echo "make test      install dependencies (scripts/deps.sh), build, run tests/unit and tests/integration"
	@echo "make bench     run the benchmark matrix into results/run-* with figures (BENCH_ARGS=...)"
	@echo "make paper     build $(BUILD)/paper/nestbench.pdf from RESULTS=$(RESULTS)"
	@echo "make clean     remove $(BUILD)/"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
