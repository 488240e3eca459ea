/* shadow.h - paging=shadow: the guest runs without EPT, on page tables the
 * hypervisor builds from the guest's own (the software TLB-miss path that EPT
 * replaced). One concern per file:
 *   pool.c   the frames the shadow tables are made of
 *   spt.c    the shadow tables: fill one page, drop one page or all, the identity
 *            shadow that runs a guest with paging off
 *   gwalk.c  the guest's tables walked as the processor walks them (SDM Vol. 3A,
 *            4.5-4.8): permissions, reserved bits, accessed and dirty flags
 *   mode.c   the guest's CR0/CR3/CR4/EFER as it sees them and the real ones beneath
 *   fault.c  the exits: #PF (hidden or the guest's), INVLPG, INVPCID
 * Without EPT there is no unrestricted guest: the processor always runs the guest
 * with CR0.PE, CR0.PG and CR4.PAE set. The guest's own values of those bits live in
 * the read shadows (the guest/host masks own them) and in struct shadow_state. */
#ifndef NB_SHADOW_H
#define NB_SHADOW_H

#include <stdbool.h>
#include <stdint.h>
#include "hv.h"
#include "cr.h"
#include "pt.h"

/* Software-available bit 9 of a shadow PDE or PDPTE (ignored by the processor in a
 * non-leaf entry, SDM 4.5): the 4 KiB entries below it shadow one large guest page.
 * The guest's INVLPG of any address in that page must drop all of them, as it would
 * drop the processor's one TLB entry for the large page. */
#define SPT_LARGE_ORIGIN BIT_ULL(9)

/* x86 page-table entry bits (SDM Vol. 3A, 4.5, Tables 4-15 to 4-20). */
#define PTE_P    BIT_ULL(0)
#define PTE_RW   BIT_ULL(1)
#define PTE_US   BIT_ULL(2)
#define PTE_PWT  BIT_ULL(3)
#define PTE_PCD  BIT_ULL(4)
#define PTE_A    BIT_ULL(5)
#define PTE_D    BIT_ULL(6)
#define PTE_PAT  BIT_ULL(7)   /* in a 4 KiB PTE; bit 12 in a large leaf */
#define PTE_LARGE_PAT BIT_ULL(12)
#define PTE_PK   (0xfULL << 59)
#define PTE_XD   BIT_ULL(63)

/* The page-fault error code (SDM Vol. 3A, 4.7). */
#define PFEC_P    (1u << 0)
#define PFEC_W    (1u << 1)
#define PFEC_U    (1u << 2)
#define PFEC_RSVD (1u << 3)
#define PFEC_I    (1u << 4)
#define PFEC_PK   (1u << 5)

struct shadow_state {
	uint64_t cr3;       /* the guest's CR3, as it last loaded it */
	/* The guest's CR0 and CR4 at their last change of a host-owned bit: exact for
	 * those bits (WP, SMEP, SMAP, LA57, ...), which are all the walk needs. */
	uint64_t cr0, cr4;
	uint64_t efer;      /* the guest's EFER: LME as written, LMA as the mode is */
	bool paged;         /* guest CR0.PG: the real CR3 is spt's root, else identity */
	uint64_t identity;  /* the PAE PDPT of the identity shadow (host-physical) */
	struct pt spt;      /* the shadow of the guest's tables; root from the pool */
	uint64_t fills, drops, flushes;  /* for the final report (shadow_print) */
};
extern struct shadow_state shadow;

/* pool.c: a fixed set of frames for shadow tables. spool_alloc has pt.c's
 * alloc_table signature: a zeroed frame, or 0 when all are in use. spool_free
 * gives one back. */
void spool_init(void);
uint64_t spool_alloc(void *ctx);
void spool_free(uint64_t pa);
void spool_reset(void);   /* every frame free again */

/* spt.c */
void spt_init(const struct vcpu *v);           /* identity shadow, empty root */
void spt_reset(int levels);                    /* drop every page; levels 4 or 5 */
/* Installs the 4 KiB shadow entry for gla. origin is the guest leaf's level
 * (enum pt_page): a large one marks the entries above. */
uint64_t spt_set(uint64_t gla, uint64_t entry, int origin); /* the entry it replaced */
/* Drops what the guest's INVLPG of gla drops; returns whether more than the one
 * page went (then only a full flush of the VPID's TLB is enough). */
bool spt_drop(uint64_t gla);
/* Invalidates the processor's translations for the guest: gla's, or all (gla ~0). */
void spt_flush_tlb(uint64_t gla);
/* The counts above, one "hv: shadow paging: ..." line at the end of the run. */
void shadow_print(void);

/* gwalk.c: one access of the guest, translated through its own tables. */
struct gwalk {
	/* in */
	uint64_t gla;
	uint32_t pfec;      /* the access: PFEC_W, PFEC_U, PFEC_I as the processor reported it */
	bool ac;            /* RFLAGS.AC, which lets a supervisor access user pages under SMAP */
	/* out */
	enum { GW_OK, GW_FAULT, GW_OUTSIDE } result;
	uint32_t error;     /* GW_FAULT: the error code the guest gets */
	uint64_t gpa;       /* GW_OK: the address; GW_OUTSIDE: the table entry outside RAM */
	uint64_t leaf;      /* GW_OK: the guest leaf, its A and D as now set */
	bool writable, user, nx;  /* GW_OK: the walk's combined rights (4.6) */
	int level;          /* GW_OK: the guest page's size, as enum pt_page */
};
/* Walks w->gla in the guest's IA-32e tables (4- or 5-level per CR4.LA57), checking
 * the access w->pfec against the combined rights, and on success sets the accessed
 * flags of every entry used and the leaf's dirty flag for a write (4.8). */
void gwalk(const struct vcpu *v, struct gwalk *w);
unsigned guest_maxphyaddr(void);

/* mode.c */
void shadow_init(struct vcpu *v);
/* The real CR0/CR4 for the guest's values: PE, PG, WP and PAE always set; the
 * bits of paging the guest cannot have while its paging is off, clear. */
uint64_t shadow_real_cr0(uint64_t guest);
uint64_t shadow_real_cr4(uint64_t guest, uint64_t guest_cr0);
/* After the guest changed CR0, CR4 or EFER: follows its paging mode (IA-32e mode
 * guest, EFER.LMA, the real CR3) and drops the shadow. HV_RESUME, or HV_STOP for a
 * mode this hypervisor does not emulate under paging=shadow. */
enum exit_action shadow_mode_changed(struct vcpu *v);
/* MOV to CR3: 0, or -1 after injecting #GP. */
int shadow_load_cr3(struct vcpu *v, uint64_t val);
/* WRMSR to IA32_EFER: 0, or -1 after injecting #GP; *next is what the handler
 * returns (shadow_mode_changed's answer, HV_STOP for a mode not emulated). */
int shadow_write_efer(struct vcpu *v, uint64_t val, enum exit_action *next);

/* The CR0 and CR4 bits the guest/host masks give the hypervisor under paging=shadow
 * (added to those VMX forces, vmcs_init.c): those that decide the paging mode, the
 * rights or the TLB's contents. */
#define SHADOW_CR0_OWNED (CR0_PE | CR0_PG | CR0_WP)
#define SHADOW_CR4_OWNED (CR4_PSE | CR4_PAE | CR4_PGE | CR4_LA57 | CR4_PCIDE | CR4_SMEP | CR4_SMAP)

/* fault.c: resolves a hidden fault of a read at gla (as a TLB miss would), for
 * HC_WALK; 0 when the shadow now maps gla. The exit handlers are in exits.h. */
int shadow_touch(struct vcpu *v, uint64_t gla);

#endif
