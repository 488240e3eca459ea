/* pt.h - page-table builder and walker for 4-level and 5-level paging.
 *
 * One engine serves both IA-32e paging and EPT (SDM Vol. 3, 4.5 and 29.3): the two
 * formats agree on what matters to a builder - 512 entries per table, the address in
 * bits 51:12, the page-size bit 7 in PDPTEs and PDEs - and differ only in which bits
 * mark an entry present and what a non-leaf entry carries. The caller passes those in
 * struct pt_format, and supplies the leaf attribute bits at map time.
 *
 * Memory comes from a callback so the same code runs in a kernel (frames from the
 * frame pool, identity-mapped) and in host unit tests (aligned heap blocks).
 * Host-testable. */
#ifndef NB_PT_H
#define NB_PT_H

#include <stdbool.h>
#include <stdint.h>

#define PT_ENTRIES 512
#define PT_ADDR_MASK 0x000ffffffffff000ULL
#define PT_PS (1ULL << 7) /* page size: leaf at PDPT (1 GiB) or PD (2 MiB) level */

/* Page sizes by the level their leaf lives at: 1 = 4 KiB (PTE), 2 = 2 MiB, 3 = 1 GiB. */
enum pt_page { PT_4K = 1, PT_2M = 2, PT_1G = 3 };
#define PT_PAGE_BYTES(level) (1ULL << (12 + 9 * ((level) - 1)))
/* The index of va's entry in its table at level (1 = PT ... 5 = PML5): bits 56:48
 * index the PML5, 47:39 the PML4, ... 20:12 the PT. */
#define PT_INDEX(va, level) (((va) >> (12 + 9 * ((level) - 1))) & (PT_ENTRIES - 1))

struct pt_format {
	uint64_t present;   /* any of these bits set means the entry is in use */
	uint64_t nonleaf;   /* bits written into every entry that points to a table */
	/* Linear addresses are canonical: the bits above the top table's index copy
	 * its highest bit (x86 paging). Otherwise (EPT's guest-physical addresses)
	 * they are zero. */
	bool canonical;
};

/* x86 paging: P|RW|US on tables so the leaf alone decides access. */
extern const struct pt_format pt_format_x86;
/* EPT: read|write|execute on tables; leaves carry their own permissions and memory type. */
extern const struct pt_format pt_format_ept;

struct pt {
	const struct pt_format *fmt;
	int levels;          /* 4 or 5 */
	uint64_t root;       /* physical address of the top table (CR3 or EPTP address part) */
	/* Returns the physical address of a zeroed 4 KiB table, or 0 when out of memory. */
	uint64_t (*alloc_table)(void *ctx);
	/* Gives a pointer through which the table at that physical address can be accessed. */
	uint64_t *(*table_ptr)(void *ctx, uint64_t pa);
	void *ctx;
	unsigned tables;     /* tables allocated so far, root included */
};

/* Allocates the root table. Returns 0, or -1 when out of memory. */
int pt_init(struct pt *pt, const struct pt_format *fmt, int levels,
	    uint64_t (*alloc_table)(void *), uint64_t *(*table_ptr)(void *, uint64_t),
	    void *ctx);

/* Adopts an existing root (e.g. the current CR3) instead of allocating one. */
void pt_adopt(struct pt *pt, const struct pt_format *fmt, int levels, uint64_t root,
	      uint64_t (*alloc_table)(void *), uint64_t *(*table_ptr)(void *, uint64_t),
	      void *ctx);

/* Maps [va, va+len) to [pa, pa+len) with pages of the given size. va, pa and len
 * must be multiples of that size. leaf_bits are ORed into each leaf (PT_PS is added
 * for 2M/1G). Fails rather than overwrite: an existing leaf or a large page in the
 * way is an error, so a double mapping is a bug found, not a bug hidden. An address
 * the tables cannot reach (not canonical; for EPT, at or above 2^48 or 2^57) is a
 * bad argument.
 * Returns 0, -1 on out of memory, -2 on bad arguments, -3 on conflict. */
int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t len, enum pt_page size,
	   uint64_t leaf_bits);

/* Walks the tables for va, as the hardware would.
 * On success returns 0 and fills *pa (the translated address), *leaf (the leaf entry),
 * *level (1..3, the page size as enum pt_page) and *refs (table entries read,
 * i.e. memory references of the walk). Returns -1 when not mapped.
 * Any pointer may be NULL. */
int pt_walk(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *leaf, int *level,
	    int *refs);

/* The leaf entry that maps va (any page size), through which a caller may change
 * the mapping in place (and then flush, see pt.c); NULL when va is not mapped.
 * *level as for pt_walk; may be NULL. */
uint64_t *pt_leaf(const struct pt *pt, uint64_t va, int *level);

/* Makes dst a second address space with src's mappings: a new root whose entries are
 * copies of src's, so that every table below the root is shared and a mapping
 * changed below it changes in both (one added at the root later, in src only).
 * Returns 0, or -1 when out of memory. */
int pt_share(struct pt *dst, const struct pt *src);

/* Removes the mapping of one page at va (whatever its size; va may be anywhere
 * inside it). Tables left empty are kept. Returns 0, or -1 when not mapped. */
int pt_unmap(struct pt *pt, uint64_t va);

#endif
