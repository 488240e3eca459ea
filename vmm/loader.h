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
 *   LOADER_GDT_GPA         the flat GDT the kernel starts on (below)
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

/* The GDT the kernel starts on. The multiboot spec leaves GDTR undefined, but loaders
 * in practice leave a valid flat GDT, and kernels rely on it (an exception before the
 * kernel loads its own GDT must find the CS of its IDT gate). This one has QEMU
 * -kernel's layout (its multiboot option ROM): 0x08 a 32-bit code segment, 0x10 a
 * 32-bit data segment, both base 0, limit 4 GiB, DPL 0; CS = 0x08 and DS = ES = FS =
 * GS = SS = 0x10. (GRUB's relocator has code at 0x10 and data at 0x18: a portable
 * kernel reads CS rather than assume.) It lies in the reserved hole below 1 MiB,
 * where QEMU's ROM copy lies too, so the memory map keeps the guest's allocator off
 * it, and it is left there for the kernel to keep using. */
#define LOADER_GDT_GPA   0x9f000ULL
#define LOADER_GDT_LIMIT (3 * 8 - 1)
#define LOADER_SEL_CODE  0x08
#define LOADER_SEL_DATA  0x10
/* The two descriptors' attributes, laid out as descriptor bits 40-55 - the access
 * byte (type, S, DPL, P) in bits 7:0, AVL, L, D/B and G in bits 15:12 - which is also
 * the VMCS's segment access-rights format (SDM Vol. 3C, 24.4.1). The types have the
 * accessed bit set, as the CPU leaves them once it has loaded the segments; VM entry
 * requires it of usable segments. */
#define LOADER_AR_CODE   0xc09b  /* code, execute/read, accessed; 32-bit, 4 KiB granular */
#define LOADER_AR_DATA   0xc093  /* data, read/write, accessed; 32-bit, 4 KiB granular */

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
	uint32_t gdt_base;  /* guest GDTR: LOADER_GDT_GPA, LOADER_GDT_LIMIT */
	uint16_t gdt_limit;
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
