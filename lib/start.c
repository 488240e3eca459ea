/* start.c - from the multiboot hand-off to main(). */
#include "kernel.h"
#include "cmdline.h"
#include "console.h"
#include "cpu.h"
#include "cr.h"
#include "desc.h"
#include "exit.h"
#include "multiboot.h"
#include "printf.h"
#include "string.h"

extern char __kernel_start[], __kernel_end[];

struct boot_info boot;
struct frame_pool frames;

static char cmdline_buf[BOOT_CMDLINE_MAX];
static char mod_cmdline_buf[BOOT_MAX_MODULES][BOOT_CMDLINE_MAX];
static struct pt kpt;

static const char *copy_string(uint32_t pa, char *buf, size_t size, const char *what)
{
	if (!pa)
		return "";
	if (strlcpy(buf, (const char *)(uintptr_t)pa, size) >= size)
		panic("%s is longer than %zu bytes", what, size - 1);
	return buf;
}

static void reserve(uint64_t base, uint64_t len)
{
	if (frame_reserve(&frames, base, len))
		panic("frame pool: too many ranges reserving %#lx+%#lx", base, len);
}

/* Every byte the memory map calls available and that is not already in use: not the
 * first MiB (BIOS data, our loaders' scratch), not our image, not the loader's
 * structures and not the modules. Only memory below the identity-mapped limit. */
static void init_frames(const struct multiboot_info *mbi)
{
	frame_pool_init(&frames);
	if (!(mbi->flags & MULTIBOOT_INFO_MMAP))
		panic("the loader gave no memory map (multiboot flags %#x)", mbi->flags);
	for (uint32_t off = 0; off < mbi->mmap_length;) {
		const struct multiboot_mmap_entry *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);
		off += e->size + sizeof(e->size);
		if (e->type != MULTIBOOT_MEMORY_AVAILABLE || e->addr >= BOOT_IDENTITY_LIMIT)
			continue;
		uint64_t len = e->len;
		if (e->addr + len > BOOT_IDENTITY_LIMIT)
			len = BOOT_IDENTITY_LIMIT - e->addr;
		boot.mem_available += len;
		if (frame_add(&frames, e->addr, len))
			panic("frame pool: memory map has too many ranges");
	}
	reserve(0, 1ULL << 20);
	reserve((uintptr_t)__kernel_start, (uintptr_t)__kernel_end - (uintptr_t)__kernel_start);
	reserve((uintptr_t)mbi, sizeof(*mbi));
	reserve(mbi->mmap_addr, mbi->mmap_length);
	if (mbi->flags & MULTIBOOT_INFO_MODS)
		reserve(mbi->mods_addr, mbi->mods_count * sizeof(struct multiboot_module));
	for (unsigned i = 0; i < boot.nmods; i++)
		reserve(boot.mods[i].start, boot.mods[i].end - boot.mods[i].start);
}

static void read_modules(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MULTIBOOT_INFO_MODS))
		return;
	if (mbi->mods_count > BOOT_MAX_MODULES)
		panic("%u modules given, at most %d supported", mbi->mods_count,
		      BOOT_MAX_MODULES);
	const struct multiboot_module *m = (const void *)(uintptr_t)mbi->mods_addr;
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		boot.mods[i].start = m[i].mod_start;
		boot.mods[i].end = m[i].mod_end;
		boot.mods[i].cmdline = copy_string(m[i].string, mod_cmdline_buf[i],
						   BOOT_CMDLINE_MAX, "a module string");
	}
	boot.nmods = mbi->mods_count;
}

static void select_console(void)
{
	static const char *const choices[] = { "com1", "e9", "both" };
	static const unsigned sinks[] = { CONSOLE_COM1, CONSOLE_E9, CONSOLE_COM1 | CONSOLE_E9 };
	int idx;

	int r = cmdline_get_choice(boot.cmdline, "console", choices, 3, &idx);
	if (r == 0)
		console_select(sinks[idx]);
	else if (r == -2)
		printf("warning: console= takes com1, e9 or both; keeping com1\n");
}

void boot_check_args(const char *const *keys)
{
	const char *all[32];
	size_t n = 0;
	char bad[64];

	all[n++] = "console";
	all[n++] = "platform";
	all[n++] = "hvconfig";
	for (; keys && *keys && n < 31; keys++)
		all[n++] = *keys;
	all[n] = NULL;
	if (cmdline_validate(boot.cmdline, all, bad, sizeof(bad)) == 0)
		return;
	printf("error: unknown command-line word '%s'; this kernel takes:", bad);
	for (size_t i = 0; i < n; i++)
		printf(" %s=", all[i]);
	printf("\n");
	exit(EXIT_BADARGS);
}

const char *boot_platform(void)
{
	static char name[24];

	if (!name[0] && cmdline_get(boot.cmdline, "platform", name, sizeof(name)) < 0)
		strlcpy(name, "unknown", sizeof(name));
	return name;
}

const char *boot_clock(void)
{
	return strcmp(boot_platform(), "bochs") ? "tsc" : "instructions";
}

uint64_t frames_get(uint64_t len, uint64_t align)
{
	uint64_t pa = frame_alloc(&frames, len, align, BOOT_IDENTITY_LIMIT);

	if (!pa)
		panic("out of memory: %#lx bytes aligned %#lx (%#lx free)", len, align,
		      frame_free_bytes(&frames));
	return pa;
}

uint64_t frames_get_table(void *ctx)
{
	(void)ctx;
	uint64_t pa = frames_get(FRAME_SIZE, FRAME_SIZE);
	memset((void *)(uintptr_t)pa, 0, FRAME_SIZE);
	return pa;
}

uint64_t *frames_table_ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)(uintptr_t)pa;
}

struct pt *kernel_pt(void)
{
	if (!kpt.fmt)
		pt_adopt(&kpt, &pt_format_x86, (read_cr4() & CR4_LA57) ? 5 : 4,
			 read_cr3() & PT_ADDR_MASK, frames_get_table, frames_table_ptr, NULL);
	return &kpt;
}

void lib_start(uint32_t magic, uint32_t info);

void lib_start(uint32_t magic, uint32_t info)
{
	console_init();
	desc_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (EAX %#x, want %#x)", magic,
		      MULTIBOOT_BOOTLOADER_MAGIC);
	const struct multiboot_info *mbi = (const void *)(uintptr_t)info;
	boot.mb_flags = mbi->flags;
	boot.cmdline = (mbi->flags & MULTIBOOT_INFO_CMDLINE)
			       ? copy_string(mbi->cmdline, cmdline_buf, sizeof(cmdline_buf),
					     "the command line")
			       : "";
	select_console();
	read_modules(mbi);
	init_frames(mbi);
	exit(main());
}
