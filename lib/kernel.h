/* kernel.h - what the runtime hands every nestbench kernel before main().
 *
 * lib_start() (start.c) brings up the console, descriptors and exception handlers,
 * reads the multiboot information into `boot`, builds the frame pool from the memory
 * map and then calls the kernel's own main(). main's return value is the exit status. */
#ifndef NB_KERNEL_H
#define NB_KERNEL_H

#include <stdint.h>
#include "frame.h"
#include "pt.h"

#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024
/* The boot page tables identity-map this much; frames come from below it. */
#define BOOT_IDENTITY_LIMIT (4ULL << 30)

struct boot_module {
	uint64_t start, end;   /* physical [start, end) */
	const char *cmdline;   /* "path args..." as the loader gave it */
};

struct boot_info {
	const char *cmdline;   /* never NULL; "" when the loader gave none */
	unsigned nmods;
	struct boot_module mods[BOOT_MAX_MODULES];
	uint64_t mem_available; /* bytes the memory map calls available */
	uint32_t mb_flags;
};

extern struct boot_info boot;
extern struct frame_pool frames;

int main(void);

/* Rejects unknown command-line keys with a clear message and EXIT_BADARGS.
 * keys is NULL-terminated; the runtime's own keys are always allowed: console,
 * platform, and hvconfig (a nestbench hypervisor's configuration, handed down). */
void boot_check_args(const char *const *keys);

/* platform=NAME from the command line (scripts/boot passes it; a hypervisor hands
 * it down to its guest), or "unknown". */
const char *boot_platform(void);
/* What one TSC tick is here: "instructions" under Bochs, whose TSC advances once per
 * emulated instruction, otherwise "tsc" (real cycles). */
const char *boot_clock(void);

/* Frames below the identity-mapped limit, so the kernel can touch them directly.
 * Panics when memory runs out: a kernel that cannot get memory cannot report much. */
uint64_t frames_get(uint64_t len, uint64_t align);

/* Table callbacks for lib/pt.c (page tables, EPT): a zeroed frame from frames_get,
 * and the identity mapping from its physical address to a pointer. */
uint64_t frames_get_table(void *ctx);
uint64_t *frames_table_ptr(void *ctx, uint64_t pa);

/* The page tables the kernel runs on (adopted from CR3), extended with frames_get. */
struct pt *kernel_pt(void);

#endif
