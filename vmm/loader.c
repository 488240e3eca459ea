/* loader.c - loads a multiboot v1 ELF kernel into guest RAM (API and layout: loader.h).
 *
 * Everything in the image and in the caller's module list is untrusted input. The
 * segment and module routines therefore run twice: once dry, checking every offset,
 * length and address (overflow-safe) and working out the layout, then once for real,
 * repeating the same arithmetic and copying. A rejected image so leaves guest RAM
 * untouched, and the copying pass cannot meet a case the dry pass did not check.
 *
 * References: Multiboot Specification 0.6.96 (3.1 header, 3.3 boot information);
 * System V ABI, ELF (gABI) for the file and program headers. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"
#include "loader.h"
#include "multiboot.h"
#include "string.h"

#define MB_SEARCH_LEN      8192       /* the header lies within the first 8 KiB */
#define MB_HEADER_LEN      12         /* magic, flags, checksum */
#define MB_REQUIRED_MASK   0xffffu    /* flag bits 0-15: a loader must honour or refuse */
#define MB_SUPPORTED       (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)
#define MB_AOUT_KLUDGE     (1u << 16) /* load addresses in the header, not the ELF */
#define MB_MEMORY_RESERVED 2

#define PAGE_SIZE   0x1000ULL
#define LOW_RAM_END 0x9f000ULL        /* EBDA, VGA and BIOS from here to 1 MiB */
#define HIGH_RAM    0x100000ULL
#define LOADER_AREA_END (LOADER_GDT_GPA + PAGE_SIZE) /* info area and GDT page below this */
#define GPA_LIMIT   0x100000000ULL    /* multiboot_info holds 32-bit addresses */
#define MiB         (1024 * 1024)

/* ELF (gABI) names for the few values the loader looks at. */
enum { EI_CLASS = 4, EI_DATA = 5, ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1 };
enum { ET_EXEC = 2, EM_386 = 3, EM_X86_64 = 62, PT_LOAD = 1 };

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

/* The two ELF classes, reduced to what loading needs. */
struct elf {
	bool is64;
	uint64_t entry, phoff;
	unsigned phnum, phentsize;
};

struct seg {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

static uint64_t page_up(uint64_t x)
{
	return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* The header is found by scanning the file, as GRUB and QEMU do, not the loaded image. */
static int find_mb_header(const uint8_t *image, uint64_t len, uint32_t *flags)
{
	uint64_t end = len < MB_SEARCH_LEN ? len : MB_SEARCH_LEN;
	uint32_t w[3];

	for (uint64_t off = 0; off + MB_HEADER_LEN <= end; off += 4) {
		memcpy(w, image + off, sizeof(w)); /* the image need not be aligned in memory */
		if (w[0] == MULTIBOOT_HEADER_MAGIC && (uint32_t)(w[0] + w[1] + w[2]) == 0) {
			*flags = w[1];
			return 0;
		}
	}
	return -1;
}

static int parse_elf(const uint8_t *image, uint64_t len, struct elf *e, char *err, size_t errlen)
{
	Elf64_Ehdr h64;
	Elf32_Ehdr h32;
	unsigned type, machine, min_phent;

	if (memcmp(image, "\177ELF", 4) != 0 ||
	    (image[EI_CLASS] != ELFCLASS32 && image[EI_CLASS] != ELFCLASS64) ||
	    image[EI_DATA] != ELFDATA2LSB) {
		sformat(err, errlen, "not a little-endian ELF32 or ELF64 file");
		return -1;
	}
	e->is64 = image[EI_CLASS] == ELFCLASS64;
	if (e->is64) {
		if (len < sizeof(h64)) {
			sformat(err, errlen, "image too small (%lu bytes) for an ELF64 header", len);
			return -1;
		}
		memcpy(&h64, image, sizeof(h64));
		type = h64.e_type, machine = h64.e_machine, e->entry = h64.e_entry;
		e->phoff = h64.e_phoff, e->phnum = h64.e_phnum, e->phentsize = h64.e_phentsize;
		min_phent = sizeof(Elf64_Phdr);
	} else {
		memcpy(&h32, image, sizeof(h32));
		type = h32.e_type, machine = h32.e_machine, e->entry = h32.e_entry;
		e->phoff = h32.e_phoff, e->phnum = h32.e_phnum, e->phentsize = h32.e_phentsize;
		min_phent = sizeof(Elf32_Phdr);
	}
	if (type != ET_EXEC) {
		sformat(err, errlen, "ELF type %u is not an executable (ET_EXEC)", type);
		return -1;
	}
	if (machine != EM_386 && machine != EM_X86_64) {
		sformat(err, errlen, "ELF machine %u is neither EM_386 nor EM_X86_64", machine);
		return -1;
	}
	if (e->phnum && e->phentsize < min_phent) {
		sformat(err, errlen, "program header entry size %u is below the %u bytes of "
			"an ELF%d program header", e->phentsize, min_phent, e->is64 ? 64 : 32);
		return -1;
	}
	/* phnum and phentsize are 16-bit, so their product cannot overflow. */
	if (e->phnum && (e->phoff > len || (uint64_t)e->phnum * e->phentsize > len - e->phoff)) {
		sformat(err, errlen, "program header table (%u x %u bytes at %#lx) lies outside "
			"the %lu-byte image", e->phnum, e->phentsize, e->phoff, len);
		return -1;
	}
	return 0;
}

static void read_phdr(const uint8_t *image, const struct elf *e, unsigned i, struct seg *s)
{
	const uint8_t *p = image + e->phoff + (uint64_t)i * e->phentsize;
	Elf64_Phdr p64;
	Elf32_Phdr p32;

	if (e->is64) {
		memcpy(&p64, p, sizeof(p64));
		*s = (struct seg){ p64.p_type, p64.p_offset, p64.p_paddr, p64.p_filesz, p64.p_memsz };
	} else {
		memcpy(&p32, p, sizeof(p32));
		*s = (struct seg){ p32.p_type, p32.p_offset, p32.p_paddr, p32.p_filesz, p32.p_memsz };
	}
}

/* Segments go to p_paddr: the guest starts with paging off, so e_entry is physical too. */
static int load_segments(struct gmem *g, const uint8_t *image, uint64_t len, const struct elf *e,
			 bool write, struct loader_result *out, char *err, size_t errlen)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	bool entry_ok = false;
	struct seg s;

	for (unsigned i = 0; i < e->phnum; i++) {
		read_phdr(image, e, i, &s);
		if (s.type != PT_LOAD)
			continue;
		if (s.filesz > s.memsz) {
			sformat(err, errlen, "segment %u: file size %#lx exceeds memory size %#lx",
				i, s.filesz, s.memsz);
			return -1;
		}
		if (s.offset > len || s.filesz > len - s.offset) {
			sformat(err, errlen, "segment %u: file bytes %#lx + %#lx lie outside the "
				"%lu-byte image", i, s.offset, s.filesz, len);
			return -1;
		}
		if (s.memsz == 0)
			continue;
		if (s.paddr > g->size || s.memsz > g->size - s.paddr) {
			sformat(err, errlen, "segment %u at %#lx + %#lx lies outside guest RAM "
				"(%lu MiB)", i, s.paddr, s.memsz, g->size / MiB);
			return -1;
		}
		if (s.paddr < LOADER_AREA_END) {
			sformat(err, errlen, "segment %u at %#lx overlaps the multiboot info area "
				"and GDT below %#llx", i, s.paddr, LOADER_AREA_END);
			return -1;
		}
		if (write) {
			memcpy(g->base + s.paddr, image + s.offset, s.filesz);
			memset(g->base + s.paddr + s.filesz, 0, s.memsz - s.filesz);
		}
		lo = s.paddr < lo ? s.paddr : lo;
		hi = s.paddr + s.memsz > hi ? s.paddr + s.memsz : hi;
		entry_ok |= e->entry >= s.paddr && e->entry - s.paddr < s.memsz;
	}
	if (hi == 0) {
		sformat(err, errlen, "no loadable (PT_LOAD) segment");
		return -1;
	}
	if (!entry_ok) {
		sformat(err, errlen, "entry point %#lx is not inside any loaded segment", e->entry);
		return -1;
	}
	out->image_lo = lo;
	out->image_hi = hi;
	return 0;
}

/* Copies a string into the info area at *at if it fits (NUL included); strnlen bounds
 * the scan, so a huge or unterminated string is not read past the space it could use. */
static int place_string(struct gmem *g, const char *s, uint64_t *at, bool write)
{
	size_t room = MB_INFO_LIMIT - *at;
	size_t n = strnlen(s, room);

	if (n == room)
		return -1;
	if (write)
		memcpy(g->base + *at, s, n + 1);
	*at += n + 1;
	return 0;
}

/* Modules go page-aligned after the image (header flag bit 0 asks for that, and it
 * costs nothing to always do it); their array and all strings go in the info area. */
static int load_modules(struct gmem *g, const char *cmdline, const struct loader_module *mods,
			unsigned nmods, uint64_t mods_addr, bool write, struct loader_result *out,
			char *err, size_t errlen)
{
	const uint64_t room = MB_INFO_LIMIT - mods_addr;
	uint64_t next = page_up(out->image_hi), str;
	struct multiboot_module m = { 0 };

	if (nmods > room / sizeof(m)) {
		sformat(err, errlen, "%u modules do not fit in the multiboot info area", nmods);
		return -1;
	}
	str = mods_addr + (uint64_t)nmods * sizeof(m);
	if (place_string(g, cmdline ? cmdline : "", &str, write)) {
		sformat(err, errlen, "command line does not fit in the multiboot info area");
		return -1;
	}
	for (unsigned i = 0; i < nmods; i++) {
		if (next > g->size || mods[i].len > g->size - next) {
			sformat(err, errlen, "module %u (%lu bytes) does not fit in guest RAM above "
				"%#lx (%lu MiB)", i + 1, mods[i].len, next, g->size / MiB);
			return -1;
		}
		m.mod_start = (uint32_t)next;
		m.mod_end = (uint32_t)(next + mods[i].len);
		m.string = (uint32_t)str;
		if (place_string(g, mods[i].string ? mods[i].string : "", &str, write)) {
			sformat(err, errlen, "module %u string does not fit in the multiboot info "
				"area", i + 1);
			return -1;
		}
		if (write) {
			memcpy(g->base + next, mods[i].data, mods[i].len);
			memcpy(g->base + mods_addr + (uint64_t)i * sizeof(m), &m, sizeof(m));
		}
		next = page_up(next + mods[i].len);
	}
	out->mods_hi = next;
	return 0;
}

/* One segment descriptor (SDM Vol. 3A, 3.4.5): base 0, limit 0xfffff (4 GiB with G),
 * attributes ar as descriptor bits 40-55. */
static uint64_t flat_descriptor(uint16_t ar)
{
	const uint64_t limit = 0xfffff;

	return (limit & 0xffff) | (uint64_t)(ar & 0xff) << 40 |
	       ((limit >> 16) & 0xf) << 48 | (uint64_t)(ar >> 12) << 52;
}

/* The GDT page is cleared first: nothing but the table is left in it. */
static void write_gdt(struct gmem *g)
{
	const uint64_t gdt[] = { 0, flat_descriptor(LOADER_AR_CODE),
				 flat_descriptor(LOADER_AR_DATA) };

	_Static_assert(sizeof(gdt) == LOADER_GDT_LIMIT + 1, "GDT size and limit disagree");
	_Static_assert(LOADER_SEL_CODE == 1 * 8 && LOADER_SEL_DATA == 2 * 8,
		       "selectors and GDT slots disagree");
	_Static_assert(LOADER_GDT_GPA >= LOW_RAM_END && LOADER_AREA_END <= HIGH_RAM,
		       "the GDT must lie in the memory map's reserved range");
	memset(g->base + LOADER_GDT_GPA, 0, PAGE_SIZE);
	memcpy(g->base + LOADER_GDT_GPA, gdt, sizeof(gdt));
}

static void write_info(struct gmem *g, unsigned nmods, uint64_t mmap_addr, uint64_t mods_addr)
{
	const struct multiboot_mmap_entry map[3] = {
		{ 20, 0, LOW_RAM_END, MULTIBOOT_MEMORY_AVAILABLE },
		{ 20, LOW_RAM_END, HIGH_RAM - LOW_RAM_END, MB_MEMORY_RESERVED },
		{ 20, HIGH_RAM, g->size - HIGH_RAM, MULTIBOOT_MEMORY_AVAILABLE },
	};
	struct multiboot_info mbi = {
		.flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MODS |
			 MULTIBOOT_INFO_MMAP,
		.mem_lower = LOW_RAM_END / 1024,
		.mem_upper = (g->size - HIGH_RAM) / 1024,
		/* load_modules put the command line first after the module array */
		.cmdline = mods_addr + nmods * sizeof(struct multiboot_module),
		.mods_count = nmods,
		.mods_addr = mods_addr,
		.mmap_length = sizeof(map),
		.mmap_addr = mmap_addr,
	};

	memcpy(g->base + MB_INFO_GPA, &mbi, sizeof(mbi));
	memcpy(g->base + mmap_addr, map, sizeof(map));
}

int loader_load(struct gmem *g, const void *image, uint64_t image_len, const char *cmdline,
		const struct loader_module *mods, unsigned nmods, struct loader_result *out,
		char *err, size_t errlen)
{
	const uint64_t mmap_addr = MB_INFO_GPA + sizeof(struct multiboot_info);
	const uint64_t mods_addr = mmap_addr + 3 * sizeof(struct multiboot_mmap_entry);
	struct loader_result r; /* *out is only written on success */
	uint32_t flags;
	struct elf e;
	unsigned bit;

	if (g->size > GPA_LIMIT) {
		sformat(err, errlen, "guest RAM of %lu MiB is beyond the 4 GiB that multiboot "
			"addresses reach", g->size / MiB);
		return -1;
	}
	if (g->size <= HIGH_RAM) {
		sformat(err, errlen, "guest RAM of %lu KiB leaves nothing above 1 MiB to load "
			"into", g->size / 1024);
		return -1;
	}
	if (image_len < sizeof(Elf32_Ehdr)) {
		sformat(err, errlen, "image too small (%lu bytes) to be an ELF kernel", image_len);
		return -1;
	}
	if (find_mb_header(image, image_len, &flags)) {
		sformat(err, errlen, "not a multiboot kernel: no header in the first 8 KiB");
		return -1;
	}
	if (flags & MB_REQUIRED_MASK & ~MB_SUPPORTED) {
		bit = __builtin_ctz(flags & MB_REQUIRED_MASK & ~MB_SUPPORTED);
		sformat(err, errlen, "multiboot header requires unsupported feature bit %u%s", bit,
			bit == 2 ? " (video mode)" : "");
		return -1;
	}
	if (flags & MB_AOUT_KLUDGE) {
		sformat(err, errlen, "multiboot a.out kludge (flag bit 16) is not supported");
		return -1;
	}
	if (parse_elf(image, image_len, &e, err, errlen))
		return -1;
	if (e.entry >= GPA_LIMIT) {
		sformat(err, errlen, "entry point %#lx does not fit in 32 bits", e.entry);
		return -1;
	}
	if (load_segments(g, image, image_len, &e, false, &r, err, errlen) ||
	    load_modules(g, cmdline, mods, nmods, mods_addr, false, &r, err, errlen))
		return -1;

	/* All checked; the info area is zeroed first as its strings are written later. */
	memset(g->base + MB_INFO_GPA, 0, MB_INFO_LIMIT - MB_INFO_GPA);
	load_segments(g, image, image_len, &e, true, &r, err, errlen);
	load_modules(g, cmdline, mods, nmods, mods_addr, true, &r, err, errlen);
	write_info(g, nmods, mmap_addr, mods_addr);
	write_gdt(g);
	r.entry = (uint32_t)e.entry;
	r.mbi = (uint32_t)MB_INFO_GPA;
	r.gdt_base = (uint32_t)LOADER_GDT_GPA;
	r.gdt_limit = LOADER_GDT_LIMIT;
	*out = r;
	return 0;
}
