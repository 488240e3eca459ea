/* multiboot.h - Multiboot Specification version 0.6.96 (multiboot v1): the facts only. */
#ifndef NB_MULTIBOOT_H
#define NB_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC     0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002 /* in EAX at entry */
#define MULTIBOOT_PAGE_ALIGN       (1u << 0)  /* header flag: modules 4K-aligned */
#define MULTIBOOT_MEMORY_INFO      (1u << 1)  /* header flag: we want mem_* and mmap */

/* multiboot_info.flags: which fields are valid. */
#define MULTIBOOT_INFO_MEMORY  (1u << 0)
#define MULTIBOOT_INFO_CMDLINE (1u << 2)
#define MULTIBOOT_INFO_MODS    (1u << 3)
#define MULTIBOOT_INFO_MMAP    (1u << 6)

#define MULTIBOOT_MEMORY_AVAILABLE 1

#ifndef __ASSEMBLY__
#include <stdint.h>

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper; /* KiB below 1 MiB, KiB above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;              /* physical address of a C string */
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe[6];
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start, mod_end;   /* [start, end) physical */
	uint32_t string;               /* physical address of "path args..." */
	uint32_t reserved;
} __attribute__((packed));

/* size is the byte count of the entry after the size field itself. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));
#endif

#endif
