/* loader.c - multiboot v1 kernel loading into guest RAM; see loader.h.
 * Every address that comes from the image is checked against the RAM window before
 * it is used: a hostile or broken image gets an error, never a stray write. */
#include <stdbool.h>
#include "fmt.h"
#include "loader.h"
#include "multiboot.h"
#include "string.h"

#define MB_SEARCH 8192
#define MB_REQUIRED_MASK 0xffffu
#define MB_SUPPORTED (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)
#define MB_AOUT_KLUDGE (1u << 16)
#define PAGE 4096ULL
#define LOW_RAM_END 0x9f000ULL
#define HIGH_RAM 0x100000ULL

/* ELF header fields common to both classes are read at fixed offsets (ELF spec). */
#define EI_CLASS 4
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1

struct phdr { uint32_t type; uint64_t offset, paddr, filesz, memsz; };

#define FAIL(...) do { sformat(err, errlen, __VA_ARGS__); return -1; } while (0)

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* [off, off+len) lies inside [0, size): no overflow. */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int check_header(const uint8_t *img, uint64_t len, char *err, size_t errlen)
{
	for (uint64_t off = 0; off + 12 <= len && off < MB_SEARCH; off += 4) {
		uint32_t magic = rd32(img + off), flags = rd32(img + off + 4);
		if (magic != MULTIBOOT_HEADER_MAGIC || magic + flags + rd32(img + off + 8) != 0)
			continue;
		uint32_t unsupported = flags & MB_REQUIRED_MASK & ~MB_SUPPORTED;
		if (unsupported)
			FAIL("the multiboot header requires feature bit %d (%s), which this loader "
			     "does not provide", __builtin_ctz(unsupported),
			     unsupported & 4 ? "video mode" : "unknown");
		if (flags & MB_AOUT_KLUDGE)
			FAIL("the multiboot header uses the a.out kludge (flag bit 16); only ELF "
			     "kernels are loaded");
		return 0;
	}
	FAIL("not a multiboot kernel: no header in the first 8 KiB");
}

static void read_phdr(const uint8_t *p, bool is64, struct phdr *ph)
{
	if (is64)
		*ph = (struct phdr){ rd32(p), rd64(p + 8), rd64(p + 24), rd64(p + 32), rd64(p + 40) };
	else
		*ph = (struct phdr){ rd32(p), rd32(p + 4), rd32(p + 12), rd32(p + 16), rd32(p + 20) };
}

static int load_segments(struct gmem *g, const uint8_t *img, uint64_t len,
			 struct loader_result *out, char *err, size_t errlen)
{
	if (len < 52 || memcmp(img, "\177ELF", 4))
		FAIL("not an ELF file");
	bool is64 = img[EI_CLASS] == ELFCLASS64;
	if (!is64 && img[EI_CLASS] != ELFCLASS32)
		FAIL("unknown ELF class %u", img[EI_CLASS]);
	if (is64 && len < 64)
		FAIL("truncated ELF64 header");
	uint16_t type = rd16(img + 16), machine = rd16(img + 18);
	if (type != ET_EXEC)
		FAIL("ELF type %u is not an executable (ET_EXEC)", type);
	if (machine != EM_386 && machine != EM_X86_64)
		FAIL("ELF machine %u is not x86", machine);
	uint64_t entry = is64 ? rd64(img + 24) : rd32(img + 24);
	uint64_t phoff = is64 ? rd64(img + 32) : rd32(img + 28);
	uint16_t phentsize = rd16(img + (is64 ? 54 : 42)), phnum = rd16(img + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56 : 32) || !inside(phoff, (uint64_t)phentsize * phnum, len))
		FAIL("program header table lies outside the image");

	bool entry_ok = false;
	unsigned loads = 0;
	out->image_lo = ~0ULL;
	out->image_hi = 0;
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr ph;
		read_phdr(img + phoff + (uint64_t)i * phentsize, is64, &ph);
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz)
			FAIL("segment %u: file size %#lx exceeds memory size %#lx", i, ph.filesz,
			     ph.memsz);
		if (!inside(ph.offset, ph.filesz, len))
			FAIL("segment %u: file data lies outside the image", i);
		if (!inside(ph.paddr, ph.memsz, g->size) || ph.paddr < MB_INFO_LIMIT)
			FAIL("segment %u at %#lx + %#lx lies outside guest RAM (%lu MiB) or over "
			     "the multiboot info area", i, ph.paddr, ph.memsz, g->size >> 20);
		memcpy(g->base + ph.paddr, img + ph.offset, ph.filesz);
		memset(g->base + ph.paddr + ph.filesz, 0, ph.memsz - ph.filesz);
		if (entry >= ph.paddr && entry - ph.paddr < ph.memsz)
			entry_ok = true;
		if (ph.paddr < out->image_lo)
			out->image_lo = ph.paddr;
		if (ph.paddr + ph.memsz > out->image_hi)
			out->image_hi = ph.paddr + ph.memsz;
		loads++;
	}
	if (!loads)
		FAIL("no loadable (PT_LOAD) segment");
	if (!entry_ok)
		FAIL("entry point %#lx is not inside a loaded segment", entry);
	out->entry = (uint32_t)entry;
	return 0;
}

/* Bump allocator for the info area: returns the guest-physical address or 0. */
static uint64_t info_take(uint64_t *next, uint64_t len)
{
	uint64_t at = (*next + 7) & ~7ULL;

	if (at > MB_INFO_LIMIT || len > MB_INFO_LIMIT - at)
		return 0;
	*next = at + len;
	return at;
}

static uint32_t info_string(struct gmem *g, uint64_t *next, const char *s)
{
	uint64_t n = strlen(s) + 1, at = info_take(next, n);

	if (at)
		memcpy(g->base + at, s, n);
	return (uint32_t)at;
}

int loader_load(struct gmem *g, const void *image, uint64_t image_len, const char *cmdline,
		const struct loader_module *mods, unsigned nmods, struct loader_result *out,
		char *err, size_t errlen)
{
	const uint8_t *img = image;

	if (g->size > (4ULL << 30) || g->size < HIGH_RAM + PAGE)
		FAIL("guest RAM of %lu MiB is outside what multiboot can describe", g->size >> 20);
	if (check_header(img, image_len, err, errlen) ||
	    load_segments(g, img, image_len, out, err, errlen))
		return -1;

	/* Modules: page-aligned, one after another, above the kernel. */
	uint64_t at = (out->image_hi + PAGE - 1) & ~(PAGE - 1);
	memset(g->base + MB_INFO_GPA, 0, MB_INFO_LIMIT - MB_INFO_GPA);
	uint64_t next = MB_INFO_GPA;
	struct multiboot_info *mbi = (void *)(g->base + info_take(&next, sizeof(*mbi)));
	uint64_t mods_gpa = info_take(&next, (uint64_t)nmods * sizeof(struct multiboot_module));
	if (nmods && !mods_gpa)
		FAIL("%u modules do not fit in the multiboot info area", nmods);
	struct multiboot_module *m = (void *)(g->base + mods_gpa);
	for (unsigned i = 0; i < nmods; i++) {
		if (!inside(at, mods[i].len, g->size))
			FAIL("module %u (%lu KiB) does not fit in guest RAM above %#lx", i + 1,
			     mods[i].len >> 10, at);
		memcpy(g->base + at, mods[i].data, mods[i].len);
		m[i].mod_start = (uint32_t)at;
		m[i].mod_end = (uint32_t)(at + mods[i].len);
		m[i].string = info_string(g, &next, mods[i].string ? mods[i].string : "");
		if (!m[i].string)
			FAIL("module strings do not fit in the multiboot info area");
		at = (at + mods[i].len + PAGE - 1) & ~(PAGE - 1);
	}
	out->mods_hi = at;

	/* The memory map of a PC: low RAM, the EBDA/VGA/BIOS hole, then RAM from 1 MiB. */
	const struct { uint64_t base, len; uint32_t type; } map[] = {
		{ 0, LOW_RAM_END, MULTIBOOT_MEMORY_AVAILABLE },
		{ LOW_RAM_END, HIGH_RAM - LOW_RAM_END, 2 },
		{ HIGH_RAM, g->size - HIGH_RAM, MULTIBOOT_MEMORY_AVAILABLE },
	};
	uint64_t mmap_gpa = info_take(&next, sizeof(map) / sizeof(map[0]) *
						     sizeof(struct multiboot_mmap_entry));
	struct multiboot_mmap_entry *e = (void *)(g->base + mmap_gpa);
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		e[i] = (struct multiboot_mmap_entry){ sizeof(e[i]) - 4, map[i].base, map[i].len,
						      map[i].type };
	uint32_t cmd = info_string(g, &next, cmdline ? cmdline : "");
	if (!mmap_gpa || !cmd)
		FAIL("the command line does not fit in the multiboot info area");

	mbi->flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MODS |
		     MULTIBOOT_INFO_MMAP;
	mbi->mem_lower = LOW_RAM_END >> 10;
	mbi->mem_upper = (uint32_t)((g->size - HIGH_RAM) >> 10);
	mbi->cmdline = cmd;
	mbi->mods_count = nmods;
	mbi->mods_addr = (uint32_t)mods_gpa;
	mbi->mmap_length = (uint32_t)(sizeof(map) / sizeof(map[0]) * sizeof(*e));
	mbi->mmap_addr = (uint32_t)mmap_gpa;
	out->mbi = (uint32_t)MB_INFO_GPA;
	return 0;
}
