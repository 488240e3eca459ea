/* loader.h - loads a multiboot v1 kernel into guest memory, as QEMU -kernel would.
 *
 * Pure logic on a host-visible window of guest RAM, so it is unit-tested on the host:
 * the hypervisor passes its identity-mapped view of the guest's RAM, the tests a heap
 * buffer. Every address taken from the ELF or the multiboot header is checked against
 * the window before a byte is written: a hostile image gets an error, never a write
 * outside guest RAM.
 *
 * Guest-physical layout it produces (all inside [0, ram_size)):
 *   MB_INFO_GPA            struct multiboot_info, then the memory map, the module
 *                          array, the command line and the module strings
 *   ELF PT_LOAD segments   at their p_paddr (normally 1 MiB up); .bss zeroed
 *   modules                page-aligned, after the highest loaded byte
 * The memory map says: [0, 0x9f000) available, [0x9f000, 0x100000) reserved (where a
 * PC has its EBDA, VGA and BIOS), [0x100000, ram_size) available. */
#ifndef NB_LOADER_H
#define NB_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define MB_INFO_GPA   0x9000ULL   /* below 640 KiB, clear of the real-mode IVT/BDA */
#define MB_INFO_LIMIT 0x9f000ULL  /* the info area ends here */

struct gmem {
	uint8_t *base;      /* host view of guest-physical 0 */
	uint64_t size;      /* bytes of guest RAM */
};

struct loader_module {
	const void *data;   /* host view of the module's bytes */
	uint64_t len;
	const char *string; /* module string handed to the guest ("path args") */
};

struct loader_result {
	uint32_t entry;     /* guest EIP (from e_entry) */
	uint32_t mbi;       /* guest EBX: the multiboot info's guest-physical address */
	uint64_t image_lo, image_hi; /* guest-physical range the segments occupy */
	uint64_t mods_hi;   /* end of the last module, page-aligned */
};

/* Loads the kernel (an ELF32 or ELF64 executable with a multiboot v1 header in its
 * first 8 KiB, flags using only bits 0 and 1 among the required bits 0-15, no a.out
 * kludge), its command line and nmods modules. Returns 0, or -1 with a one-line
 * reason in err (e.g. "not a multiboot kernel: no header in the first 8 KiB",
 * "segment 2 at 0x... + 0x... lies outside guest RAM (64 MiB)"). */
int loader_load(struct gmem *g, const void *image, uint64_t image_len, const char *cmdline,
		const struct loader_module *mods, unsigned nmods, struct loader_result *out,
		char *err, size_t errlen);

#endif
