/* test_loader.c - unit tests for the multiboot v1 kernel loader (vmm/loader.c).
 *
 * Kernels are assembled in memory (ELF32 and ELF64, a multiboot header at the start
 * of the first segment's bytes) and loaded into an 8 MiB heap window with a guard
 * page on each side. Every rejected image must leave the whole window, the guards
 * and the result untouched; the real smoke guest from the build is loaded as well. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "build_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h> /* lib/string.h under -Ilib: no strstr or strrchr */

#include "loader.h"
#include "multiboot.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define RAM (8 * MiB)
#define GUARD 4096
#define FILL 0xAA
#define PAGE_UP(x) (((x) + 4095) & ~4095ULL)

#define PT_NOTE 4

/* ---- assembling kernels ---------------------------------------------------- */

struct seg_spec {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

struct spec {
	bool is64;
	uint8_t class, data;     /* e_ident; 0 = the natural value */
	uint16_t type, machine;
	uint64_t entry;
	uint64_t phoff;          /* 0 = right after the ELF header */
	uint16_t phnum, phentsize; /* phnum 0xffff = use nseg; phentsize 0 = natural */
	unsigned nseg;
	struct seg_spec seg[4];
	bool no_header;          /* leave the multiboot header out */
	uint64_t mb_at;          /* file offset of the multiboot header */
	uint32_t mb_flags, mb_fudge; /* fudge is added to the checksum */
	uint64_t file_len;       /* 0 = just past the last segment's bytes */
};

/* A two-segment kernel like the ones lib/kernel.ld produces: text, then data + bss. */
static struct spec default_spec(bool is64)
{
	return (struct spec){
		.is64 = is64,
		.type = 2,
		.machine = is64 ? 62 : 3,
		.entry = 0x10000c,
		.phnum = 0xffff,
		.nseg = 2,
		.seg = {
			{ 1, 0x1000, 0x100000, 0x3000, 0x3000 },
			{ 1, 0x4000, 0x104000, 0x123, 0x5000 },
		},
		.mb_at = 0x1000,
		.mb_flags = MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO,
	};
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Lays the headers out by the ELF spec's field offsets, so the test does not share
 * the loader's struct definitions (and their mistakes, if any). */
static uint8_t *build(const struct spec *sp, size_t *lenp)
{
	size_t ehsize = sp->is64 ? 64 : 52, phent = sp->is64 ? 56 : 32;
	size_t phoff = sp->phoff ? sp->phoff : ehsize;
	size_t len = phoff + sp->nseg * phent;
	uint8_t *img;

	/* Segments placed far out (to test the bounds checks) do not grow the file. */
	for (unsigned i = 0; i < sp->nseg; i++)
		if (sp->seg[i].offset + sp->seg[i].filesz > len &&
		    sp->seg[i].offset + sp->seg[i].filesz < MiB)
			len = sp->seg[i].offset + sp->seg[i].filesz;
	if (!sp->no_header && sp->mb_at + 12 > len)
		len = sp->mb_at + 12;
	if (sp->file_len)
		len = sp->file_len;
	img = calloc(1, len > phoff + sp->nseg * phent ? len : phoff + sp->nseg * phent);
	assert_non_null(img);
	/* Payload: a pattern that differs per byte, so a misplaced copy shows. */
	for (size_t i = ehsize; i < len; i++)
		img[i] = (uint8_t)(i * 7 + (i >> 8) + 1);

	memcpy(img, "\177ELF", 4);
	img[4] = sp->class ? sp->class : (sp->is64 ? 2 : 1);
	img[5] = sp->data ? sp->data : 1;
	img[6] = 1;
	put16(img + 16, sp->type);
	put16(img + 18, sp->machine);
	put32(img + 20, 1);
	uint16_t phnum = sp->phnum == 0xffff ? sp->nseg : sp->phnum;
	uint16_t phentsize = sp->phentsize ? sp->phentsize : phent;
	if (sp->is64) {
		put64(img + 24, sp->entry);
		put64(img + 32, phoff);
		put16(img + 52, 64);
		put16(img + 54, phentsize);
		put16(img + 56, phnum);
	} else {
		put32(img + 24, (uint32_t)sp->entry);
		put32(img + 28, (uint32_t)phoff);
		put16(img + 40, 52);
		put16(img + 42, phentsize);
		put16(img + 44, phnum);
	}
	for (unsigned i = 0; i < sp->nseg; i++) {
		uint8_t *p = img + phoff + i * phent;
		const struct seg_spec *s = &sp->seg[i];

		if (sp->is64) {
			put32(p, s->type);
			put32(p + 4, 5);
			put64(p + 8, s->offset);
			put64(p + 16, s->paddr);
			put64(p + 24, s->paddr);
			put64(p + 32, s->filesz);
			put64(p + 40, s->memsz);
			put64(p + 48, 0x1000);
		} else {
			put32(p, s->type);
			put32(p + 4, (uint32_t)s->offset);
			put32(p + 8, (uint32_t)s->paddr);
			put32(p + 12, (uint32_t)s->paddr);
			put32(p + 16, (uint32_t)s->filesz);
			put32(p + 20, (uint32_t)s->memsz);
			put32(p + 24, 5);
			put32(p + 28, 0x1000);
		}
	}
	if (!sp->no_header && sp->mb_at + 12 <= len) {
		put32(img + sp->mb_at, MULTIBOOT_HEADER_MAGIC);
		put32(img + sp->mb_at + 4, sp->mb_flags);
		put32(img + sp->mb_at + 8,
		      -(MULTIBOOT_HEADER_MAGIC + sp->mb_flags) + sp->mb_fudge);
	}
	*lenp = len;
	return img;
}

/* ---- the guest window -------------------------------------------------------- */

struct window {
	uint8_t *alloc;
	struct gmem g;
};

static int setup(void **state)
{
	struct window *w = malloc(sizeof(*w));

	if (!w)
		return -1;
	w->alloc = malloc(RAM + 2 * GUARD);
	if (!w->alloc)
		return -1;
	memset(w->alloc, FILL, RAM + 2 * GUARD);
	w->g = (struct gmem){ w->alloc + GUARD, RAM };
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct window *w = *state;

	free(w->alloc);
	free(w);
	return 0;
}

static bool contains(const char *s, const char *word)
{
	for (size_t n = strlen(word); *s; s++)
		if (strncmp(s, word, n) == 0)
			return true;
	return false;
}

static bool all_fill(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != FILL)
			return false;
	return true;
}

static void check_guards(const struct window *w)
{
	assert_true(all_fill(w->alloc, GUARD));
	assert_true(all_fill(w->alloc + GUARD + RAM, GUARD));
}

static void *gpa(const struct window *w, uint64_t a)
{
	return w->g.base + a;
}

static uint32_t rd32(const struct window *w, uint64_t a)
{
	uint32_t v;

	memcpy(&v, gpa(w, a), 4);
	return v;
}

static void read_mbi(const struct window *w, struct multiboot_info *mbi)
{
	memcpy(mbi, gpa(w, MB_INFO_GPA), sizeof(*mbi));
}

/* ---- successful loads ---------------------------------------------------------- */

/* The loader's GDT: where the result says, inside one reserved memory-map entry and
 * no available one, holding null, flat 32-bit code at 0x08 and flat 32-bit data at
 * 0x10 (descriptors written out by hand from the SDM's layout, Vol. 3A 3.4.5: base 0,
 * limit 0xfffff, G=1, D/B=1, P=1, DPL 0, S=1; type 0xb / 0x3), and nothing else in
 * its page. */
static void check_gdt(const struct window *w, const struct loader_result *r,
		      const struct multiboot_mmap_entry *map, unsigned n)
{
	const uint64_t want[3] = { 0, 0x00cf9b000000ffffULL, 0x00cf93000000ffffULL };
	uint64_t lo = r->gdt_base, hi = lo + r->gdt_limit + 1;
	unsigned reserved_in = 0;

	assert_int_equal(r->gdt_base, LOADER_GDT_GPA);
	assert_int_equal(r->gdt_limit, sizeof(want) - 1);
	assert_int_equal(LOADER_SEL_CODE, 0x08);
	assert_int_equal(LOADER_SEL_DATA, 0x10);
	assert_memory_equal(gpa(w, lo), want, sizeof(want));
	for (uint64_t a = hi; a < PAGE_UP(hi); a++)
		assert_int_equal(*(uint8_t *)gpa(w, a), 0);
	for (unsigned i = 0; i < n; i++) {
		bool overlaps = lo < map[i].addr + map[i].len && map[i].addr < hi;

		if (map[i].type == MULTIBOOT_MEMORY_AVAILABLE)
			assert_false(overlaps);
		else if (lo >= map[i].addr && hi <= map[i].addr + map[i].len)
			reserved_in++;
	}
	assert_int_equal(reserved_in, 1);
}

/* Checks what every successful load must produce, whatever the image and modules. */
static void check_common(const struct window *w, const struct loader_result *r,
			 const char *cmdline, unsigned nmods)
{
	struct multiboot_info mbi;
	struct multiboot_mmap_entry map[3];

	check_guards(w);
	assert_int_equal(r->mbi, MB_INFO_GPA);
	read_mbi(w, &mbi);
	assert_int_equal(mbi.flags, MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
				    MULTIBOOT_INFO_MODS | MULTIBOOT_INFO_MMAP);
	assert_int_equal(mbi.mem_lower, 636);
	assert_int_equal(mbi.mem_upper, (RAM - MiB) / KiB);
	assert_int_equal(mbi.mods_count, nmods);
	assert_true(mbi.cmdline >= MB_INFO_GPA && mbi.cmdline < MB_INFO_LIMIT);
	assert_string_equal((char *)gpa(w, mbi.cmdline), cmdline);

	assert_int_equal(mbi.mmap_length, 3 * sizeof(struct multiboot_mmap_entry));
	assert_true(mbi.mmap_addr >= MB_INFO_GPA + sizeof(mbi));
	assert_true(mbi.mmap_addr + mbi.mmap_length <= MB_INFO_LIMIT);
	memcpy(map, gpa(w, mbi.mmap_addr), sizeof(map));
	const struct multiboot_mmap_entry want[3] = {
		{ 20, 0, 0x9f000, 1 },
		{ 20, 0x9f000, 0x61000, 2 },
		{ 20, 0x100000, RAM - 0x100000, 1 },
	};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(map[i].size, want[i].size);
		assert_int_equal(map[i].addr, want[i].addr);
		assert_int_equal(map[i].len, want[i].len);
		assert_int_equal(map[i].type, want[i].type);
	}
	check_gdt(w, r, map, 3);
	/* The info area is zeroed, not left holding what was there before. */
	assert_int_equal(*(uint8_t *)gpa(w, MB_INFO_LIMIT - 1), 0);
	assert_int_equal(*(uint8_t *)gpa(w, MB_INFO_GPA - 1), FILL);
	/* The GDT's page follows it; nothing past that page is touched. */
	assert_int_equal(LOADER_GDT_GPA, MB_INFO_LIMIT);
	assert_int_equal(*(uint8_t *)gpa(w, LOADER_GDT_GPA + 4096), FILL);
}

/* Every segment's bytes are at p_paddr, its bss zeroed, and nothing past memsz touched. */
static void check_segments(const struct window *w, const struct spec *sp, const uint8_t *img,
			   const struct loader_result *r)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < sp->nseg; i++) {
		const struct seg_spec *s = &sp->seg[i];

		if (s->type != 1 || s->memsz == 0)
			continue;
		assert_memory_equal(gpa(w, s->paddr), img + s->offset, s->filesz);
		for (uint64_t a = s->paddr + s->filesz; a < s->paddr + s->memsz; a++)
			assert_int_equal(*(uint8_t *)gpa(w, a), 0);
		lo = s->paddr < lo ? s->paddr : lo;
		hi = s->paddr + s->memsz > hi ? s->paddr + s->memsz : hi;
	}
	assert_int_equal(r->image_lo, lo);
	assert_int_equal(r->image_hi, hi);
	assert_int_equal(*(uint8_t *)gpa(w, lo - 1), FILL);
	assert_int_equal(*(uint8_t *)gpa(w, hi), FILL);
	assert_int_equal(r->entry, sp->entry);
}

static void load_ok(void **state, bool is64)
{
	struct window *w = *state;
	struct spec sp = default_spec(is64);
	struct loader_result r;
	char err[160] = "";
	size_t len;
	uint8_t *img = build(&sp, &len);

	assert_int_equal(loader_load(&w->g, img, len, "console=com1 quiet", NULL, 0, &r, err,
				     sizeof(err)), 0);
	assert_string_equal(err, "");
	check_segments(w, &sp, img, &r);
	check_common(w, &r, "console=com1 quiet", 0);
	assert_int_equal(r.image_lo, 0x100000);
	assert_int_equal(r.image_hi, 0x109000);
	assert_int_equal(r.mods_hi, 0x109000);
	free(img);
}

static void test_load_elf32(void **state) { load_ok(state, false); }
static void test_load_elf64(void **state) { load_ok(state, true); }

static void test_modules(void **state)
{
	struct window *w = *state;
	struct spec sp = default_spec(false);
	struct loader_result r;
	struct multiboot_info mbi;
	char err[160] = "";
	size_t len;
	uint8_t *img;
	static uint8_t a[10], b[4096], c[5000];
	const struct loader_module mods[4] = {
		{ a, sizeof(a), "/boot/a one" },
		{ b, sizeof(b), "b" },
		{ NULL, 0, NULL },  /* empty, and no string: "" */
		{ c, sizeof(c), "c two three" },
	};
	const char *strings[4] = { "/boot/a one", "b", "", "c two three" };

	sp.seg[1].memsz = 0x4321; /* image_hi 0x108321, not page-aligned */
	img = build(&sp, &len);
	for (size_t i = 0; i < sizeof(c); i++)
		a[i % sizeof(a)] = (uint8_t)i, b[i % sizeof(b)] = (uint8_t)(i * 3), c[i] = (uint8_t)~i;
	assert_int_equal(loader_load(&w->g, img, len, "", mods, 4, &r, err, sizeof(err)), 0);
	check_segments(w, &sp, img, &r);
	check_common(w, &r, "", 4);
	read_mbi(w, &mbi);
	assert_true(mbi.mods_addr >= mbi.mmap_addr + mbi.mmap_length);
	assert_true(mbi.mods_addr + 4 * sizeof(struct multiboot_module) <= MB_INFO_LIMIT);

	const uint32_t starts[4] = { 0x109000, 0x10a000, 0x10b000, 0x10b000 };
	for (unsigned i = 0; i < 4; i++) {
		struct multiboot_module m;

		memcpy(&m, gpa(w, mbi.mods_addr + i * sizeof(m)), sizeof(m));
		assert_int_equal(m.mod_start, starts[i]);
		assert_int_equal(m.mod_start % 4096, 0);
		assert_true(m.mod_start >= r.image_hi);
		assert_int_equal(m.mod_end, m.mod_start + mods[i].len);
		assert_int_equal(m.reserved, 0);
		assert_true(m.string >= MB_INFO_GPA && m.string < MB_INFO_LIMIT);
		assert_string_equal((char *)gpa(w, m.string), strings[i]);
		if (mods[i].len)
			assert_memory_equal(gpa(w, m.mod_start), mods[i].data, mods[i].len);
	}
	assert_int_equal(r.mods_hi, PAGE_UP(0x10b000 + sizeof(c)));
	assert_int_equal(*(uint8_t *)gpa(w, 0x10b000 + sizeof(c)), FILL);
	free(img);
}

/* A module may end exactly at the top of guest RAM, and a NULL command line is "". */
static void test_module_fills_ram(void **state)
{
	struct window *w = *state;
	struct spec sp = default_spec(false);
	struct loader_result r;
	char err[160] = "";
	size_t len, mlen = RAM - 0x109000;
	uint8_t *img = build(&sp, &len), *m = malloc(mlen);
	struct loader_module mod = { m, mlen, "big" };

	assert_non_null(m);
	memset(m, 0x5c, mlen);
	assert_int_equal(loader_load(&w->g, img, len, NULL, &mod, 1, &r, err, sizeof(err)), 0);
	check_common(w, &r, "", 1);
	assert_int_equal(r.mods_hi, RAM);
	assert_memory_equal(gpa(w, 0x109000), m, mlen);
	free(m);
	free(img);
}

/* Optional flag bits (16-31 except 16 itself) are ignored, as the spec allows. */
static void test_optional_flags_ignored(void **state)
{
	struct window *w = *state;
	struct spec sp = default_spec(true);
	struct loader_result r;
	char err[160];
	size_t len;
	uint8_t *img;

	sp.mb_flags |= 1u << 17 | 1u << 31;
	sp.mb_at = 0x1ff4; /* the last aligned slot of the first 8 KiB */
	sp.seg[0].filesz = sp.seg[0].memsz = 0x1000;
	sp.seg[1].offset = 0x2000;
	sp.seg[1].paddr = 0x101000;
	img = build(&sp, &len);
	assert_int_equal(loader_load(&w->g, img, len, "x", NULL, 0, &r, err, sizeof(err)), 0);
	check_segments(w, &sp, img, &r);
	free(img);
}

/* ---- rejected images ------------------------------------------------------------- */

struct bad {
	const char *name, *word;
	void (*edit)(struct spec *sp);
};

static void e_tiny(struct spec *sp) { sp->file_len = 40; sp->nseg = 0; sp->no_header = true; }
static void e_no_header(struct spec *sp) { sp->no_header = true; }
static void e_misaligned(struct spec *sp) { sp->mb_at = 0x1002; }
static void e_checksum(struct spec *sp) { sp->mb_fudge = 1; }
static void e_past_8k(struct spec *sp)
{
	sp->seg[0].offset = 0x2000;
	sp->seg[1].offset = 0x5000;
	sp->mb_at = 0x2000;
}
static void e_straddles_8k(struct spec *sp) { sp->mb_at = 0x1ff8; }
static void e_video(struct spec *sp) { sp->mb_flags |= 1u << 2; }
static void e_bit5(struct spec *sp) { sp->mb_flags |= 1u << 5; }
static void e_bit15(struct spec *sp) { sp->mb_flags |= 1u << 15; }
static void e_aout(struct spec *sp) { sp->mb_flags |= 1u << 16; }
static void e_class(struct spec *sp) { sp->class = 3; }
static void e_bigendian(struct spec *sp) { sp->data = 2; }
static void e_dyn(struct spec *sp) { sp->type = 3; }
static void e_machine(struct spec *sp) { sp->machine = 40; }
static void e_phoff(struct spec *sp) { sp->phoff = 0x100000; sp->file_len = 0x5000; }
static void e_phnum(struct spec *sp) { sp->phnum = 0xfff0; }
static void e_phentsize(struct spec *sp) { sp->phentsize = 16; }
static void e_filesz(struct spec *sp) { sp->seg[1].filesz = 0x6000; }
static void e_offset(struct spec *sp) { sp->seg[1].offset = 0x400000; }
static void e_offset_wrap(struct spec *sp) { sp->seg[1].offset = UINT64_MAX - 0x10; }
static void e_filesz_wrap(struct spec *sp)
{
	sp->seg[1].filesz = sp->seg[1].memsz = UINT64_MAX - 0x3000; /* offset + filesz wraps */
}
static void e_offset_wrap32(struct spec *sp) { sp->seg[1].offset = 0xfffffff0; }
static void e_data_past_end(struct spec *sp) { sp->file_len = 0x4100; }
static void e_above_ram(struct spec *sp) { sp->seg[1].paddr = RAM - 0x1000; }
static void e_far_above(struct spec *sp)
{
	sp->seg[1].paddr = 0x80000000;
	sp->seg[1].filesz = sp->seg[1].memsz = 1;
}
static void e_paddr_wrap(struct spec *sp) { sp->seg[1].paddr = UINT64_MAX - 0xfff; }
static void e_paddr_wrap32(struct spec *sp) { sp->seg[1].paddr = 0xfffff000; }
static void e_memsz_huge(struct spec *sp) { sp->seg[1].memsz = UINT64_MAX; }
static void e_info_area(struct spec *sp) { sp->seg[1].paddr = 0x9e000; }
static void e_gdt(struct spec *sp) { sp->seg[1].paddr = 0x9f800; sp->seg[1].memsz = 0x800; }
static void e_at_zero(struct spec *sp) { sp->seg[1].paddr = 0; sp->seg[1].memsz = 0x200; }
static void e_entry(struct spec *sp) { sp->entry = 0x200000; }
static void e_entry_end(struct spec *sp) { sp->entry = 0x109000; }
static void e_entry_in_gap(struct spec *sp) { sp->seg[1].paddr = 0x105000; sp->entry = 0x104800; }
static void e_entry64(struct spec *sp) { sp->entry = 0x10010000c; }
static void e_no_load(struct spec *sp) { sp->seg[0].type = sp->seg[1].type = PT_NOTE; }
static void e_no_phdrs(struct spec *sp) { sp->phnum = 0; }
static void e_empty_loads(struct spec *sp)
{
	sp->seg[0].filesz = sp->seg[0].memsz = 0;
	sp->seg[1].filesz = sp->seg[1].memsz = 0;
}

static const struct bad bad32[] = {
	{ "tiny", "small", e_tiny },
	{ "no header", "multiboot", e_no_header },
	{ "misaligned header", "multiboot", e_misaligned },
	{ "bad checksum", "multiboot", e_checksum },
	{ "header past 8 KiB", "multiboot", e_past_8k },
	{ "header straddling 8 KiB", "multiboot", e_straddles_8k },
	{ "video mode", "video", e_video },
	{ "flag bit 5", "bit 5", e_bit5 },
	{ "flag bit 15", "bit 15", e_bit15 },
	{ "a.out kludge", "a.out", e_aout },
	{ "ELF class", "ELF", e_class },
	{ "big-endian", "ELF", e_bigendian },
	{ "ET_DYN", "executable", e_dyn },
	{ "ARM", "machine", e_machine },
	{ "phoff", "program header", e_phoff },
	{ "phnum", "program header", e_phnum },
	{ "phentsize", "program header", e_phentsize },
	{ "filesz > memsz", "exceeds", e_filesz },
	{ "offset", "image", e_offset },
	{ "offset wraps", "image", e_offset_wrap32 },
	{ "data past end", "image", e_data_past_end },
	{ "above RAM", "guest RAM", e_above_ram },
	{ "far above RAM", "guest RAM", e_far_above },
	{ "paddr wraps", "guest RAM", e_paddr_wrap32 },
	{ "info area", "info area", e_info_area },
	{ "GDT", "GDT", e_gdt },
	{ "at zero", "info area", e_at_zero },
	{ "entry", "entry", e_entry },
	{ "entry at end", "entry", e_entry_end },
	{ "entry in gap", "entry", e_entry_in_gap },
	{ "no PT_LOAD", "PT_LOAD", e_no_load },
	{ "no phdrs", "PT_LOAD", e_no_phdrs },
	{ "empty PT_LOADs", "PT_LOAD", e_empty_loads },
};

static const struct bad bad64[] = {
	{ "no header", "multiboot", e_no_header },
	{ "a.out kludge", "a.out", e_aout },
	{ "ET_DYN", "executable", e_dyn },
	{ "phoff", "program header", e_phoff },
	{ "phentsize", "program header", e_phentsize },
	{ "offset wraps", "image", e_offset_wrap },
	{ "filesz wraps", "image", e_filesz_wrap },
	{ "paddr wraps", "guest RAM", e_paddr_wrap },
	{ "filesz > memsz", "exceeds", e_filesz },
	{ "memsz wraps", "guest RAM", e_memsz_huge },
	{ "entry above 4 GiB", "32 bits", e_entry64 },
	{ "entry", "entry", e_entry },
	{ "info area", "info area", e_info_area },
};

/* The load fails with the word in the message, and nothing was written anywhere. */
static void expect_reject(struct window *w, const void *img, size_t len, const char *cmdline,
			  const struct loader_module *mods, unsigned nmods, const char *what,
			  const char *word)
{
	struct loader_result r, r0;
	char err[160] = "";

	memset(&r, 0x5a, sizeof(r));
	r0 = r;
	if (loader_load(&w->g, img, len, cmdline, mods, nmods, &r, err, sizeof(err)) != -1)
		fail_msg("%s: loaded", what);
	if (!contains(err, word))
		fail_msg("%s: error '%s' lacks '%s'", what, err, word);
	assert_int_not_equal(strlen(err), 0);
	assert_null(strchr(err, '\n'));
	assert_memory_equal(&r, &r0, sizeof(r));
	check_guards(w);
	if (!all_fill(w->g.base, RAM))
		fail_msg("%s: wrote to guest RAM", what);
}

static void run_bad(struct window *w, bool is64, const struct bad *tab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct spec sp = default_spec(is64);
		size_t len;
		uint8_t *img;

		tab[i].edit(&sp);
		img = build(&sp, &len);
		expect_reject(w, img, len, "", NULL, 0, tab[i].name, tab[i].word);
		free(img);
	}
}

static void test_bad_elf32(void **state)
{
	run_bad(*state, false, bad32, sizeof(bad32) / sizeof(bad32[0]));
}

static void test_bad_elf64(void **state)
{
	run_bad(*state, true, bad64, sizeof(bad64) / sizeof(bad64[0]));
}

/* An ELF64 identification on a file too short for the ELF64 header. */
static void test_bad_short_elf64(void **state)
{
	uint8_t img[56] = "\177ELF\2\1\1";

	memcpy(img + 12, (uint32_t[]){ MULTIBOOT_HEADER_MAGIC, 0, -MULTIBOOT_HEADER_MAGIC }, 12);
	expect_reject(*state, img, sizeof(img), "", NULL, 0, "short ELF64", "small");
}

static void test_bad_ram(void **state)
{
	struct window *w = *state;
	struct spec sp = default_spec(false);
	size_t len;
	uint8_t *img = build(&sp, &len);
	struct gmem saved = w->g;

	w->g.size = 5 * GiB; /* rejected before a byte is written, so the window suffices */
	expect_reject(w, img, len, "", NULL, 0, "5 GiB of RAM", "4 GiB");
	w->g.size = MiB;
	expect_reject(w, img, len, "", NULL, 0, "1 MiB of RAM", "above 1 MiB");
	w->g = saved;
	free(img);
}

static void test_bad_modules(void **state)
{
	struct window *w = *state;
	struct spec sp = default_spec(false);
	size_t len, room = MB_INFO_LIMIT - MB_INFO_GPA;
	uint8_t *img = build(&sp, &len);
	unsigned many = room / sizeof(struct multiboot_module) + 1;
	struct loader_module *mods = calloc(many, sizeof(*mods));
	char *huge = malloc(room + 1);
	static const uint8_t byte = 1;

	assert_non_null(mods);
	assert_non_null(huge);
	expect_reject(w, img, len, "", mods, many, "too many modules", "modules");

	mods[0] = (struct loader_module){ &byte, RAM - 0x109000 + 1, "a" };
	expect_reject(w, img, len, "", mods, 1, "module past RAM", "guest RAM");
	mods[0] = (struct loader_module){ &byte, UINT64_MAX, "a" };
	expect_reject(w, img, len, "", mods, 1, "module length wraps", "guest RAM");
	/* The second one starts past RAM after the first fills it. */
	mods[0] = (struct loader_module){ &byte, RAM - 0x109000 - 0xfff, "a" };
	mods[1] = (struct loader_module){ &byte, 1, "b" };
	expect_reject(w, img, len, "", mods, 2, "second module past RAM", "guest RAM");

	memset(huge, 'x', room);
	huge[room] = '\0';
	expect_reject(w, img, len, huge, NULL, 0, "huge command line", "command line");
	mods[0] = (struct loader_module){ &byte, 1, huge };
	expect_reject(w, img, len, "", mods, 1, "huge module string", "string");
	/* Each string fits on its own, but not all of them together. */
	huge[room / 2] = '\0';
	mods[0] = mods[1] = (struct loader_module){ &byte, 1, huge };
	expect_reject(w, img, len, huge, mods, 2, "strings together", "string");
	free(huge);
	free(mods);
	free(img);
}

/* err may be NULL with length 0, and a short buffer still gets a terminated message. */
static void test_error_buffer(void **state)
{
	struct window *w = *state;
	struct loader_result r;
	uint8_t img[64] = { 0 };
	char err[8];

	assert_int_equal(loader_load(&w->g, img, sizeof(img), "", NULL, 0, &r, NULL, 0), -1);
	assert_int_equal(loader_load(&w->g, img, sizeof(img), "", NULL, 0, &r, err, sizeof(err)),
			 -1);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	check_guards(w);
}

/* ---- the real guest kernel ------------------------------------------------------- */

static const char *smoke_path = "build/l2-guests/smoke.elf";

static void test_real_kernel(void **state)
{
	struct window *w = *state;
	struct loader_result r;
	char err[160] = "";
	FILE *f = fopen(smoke_path, "rb");
	uint8_t *img;
	long len;

	if (!f) {
		print_message("%s not found (run make first); skipping\n", smoke_path);
		skip();
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	img = malloc(len);
	assert_non_null(img);
	assert_int_equal(fread(img, 1, len, f), (size_t)len);
	fclose(f);
	assert_int_equal(img[4], 1); /* the build repackages kernels as ELF32 */

	if (loader_load(&w->g, img, len, "smoke", NULL, 0, &r, err, sizeof(err)))
		fail_msg("loading %s: %s", smoke_path, err);
	check_common(w, &r, "smoke", 0);
	assert_true(r.entry >= 0x100000 && r.entry < 0x101000);
	assert_int_equal(r.image_lo, 0x100000);
	assert_true(r.entry >= r.image_lo && r.entry < r.image_hi);
	assert_true(r.image_hi <= RAM);
	assert_int_equal(r.mods_hi, PAGE_UP(r.image_hi));
	/* Its multiboot header is the first thing in .text, so it was loaded at 1 MiB. */
	assert_int_equal(rd32(w, 0x100000), MULTIBOOT_HEADER_MAGIC);
	free(img);
}

int main(int argc, char **argv)
{
	const char *p = build_path(argc > 0 ? argv[0] : NULL, "l2-guests/smoke.elf");

	if (p)
		smoke_path = p;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_elf32, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_elf64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_fills_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_optional_flags_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_elf32, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_elf64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_short_elf64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_modules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_kernel, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
