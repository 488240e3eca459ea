/* test_kvm_cpu.c - unit tests for what kvmrun's vCPU sees first (host/kvm_cpu.c):
 * the CPUID table made from KVM_GET_SUPPORTED_CPUID, and the multiboot boot state
 * put into kvm_regs/kvm_sregs; the latter also from the real smoke guest, loaded by
 * the real loader, whose GDT in guest memory the segment registers must agree with. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "build_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr.h"
#include "kvm_cpu.h"
#include "loader.h"
#include "msr.h"
#include "multiboot.h"

/* Bits the filter must leave alone. */
#define ECX_SSE3   (1u << 0)
#define ECX_AVX    (1u << 28)
#define EDX_FPU    (1u << 0)
#define E1_ECX_LAHF (1u << 0)
#define E1_EDX_LM  (1u << 29)

#define SIG_KVM_EBX 0x4b4d564b /* "KVMK" */
#define SIG_KVM_ECX 0x564b4d56 /* "VMKV" */
#define SIG_KVM_EDX 0x0000004d /* "M\0\0\0" */

enum { LEAF0, LEAF1, LEAF7_0, LEAF7_1, LEAF_KVM, LEAF_EXT1, NLEAVES };

/* A table shaped like KVM_GET_SUPPORTED_CPUID's, from a host that offers nesting
 * (both VMX and SVM, which no real host does at once; the filter must not care). */
static void supported(struct kvm_cpuid_entry2 *e, bool host_vmx)
{
	memset(e, 0, NLEAVES * sizeof(*e));
	e[LEAF0] = (struct kvm_cpuid_entry2){ .function = 0, .eax = 0xd };
	e[LEAF1] = (struct kvm_cpuid_entry2){
		.function = 1, .eax = 0x50654,
		.ecx = ECX_SSE3 | ECX_AVX | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE |
		       (host_vmx ? CPUID_1_ECX_VMX : 0),
		.edx = EDX_FPU | CPUID_1_EDX_TSC | CPUID_1_EDX_APIC,
	};
	e[LEAF7_0] = (struct kvm_cpuid_entry2){ .function = 7, .index = 0, .ebx = 0x111,
						.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX };
	e[LEAF7_1] = (struct kvm_cpuid_entry2){ .function = 7, .index = 1, .eax = 0x222,
						.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX };
	e[LEAF_KVM] = (struct kvm_cpuid_entry2){ .function = 0x40000000, .eax = 0x40000001,
		.ebx = SIG_KVM_EBX, .ecx = SIG_KVM_ECX, .edx = SIG_KVM_EDX };
	e[LEAF_EXT1] = (struct kvm_cpuid_entry2){ .function = 0x80000001,
		.ecx = E1_ECX_LAHF | CPUID_80000001_ECX_SVM, .edx = E1_EDX_LM };
}

static void check_common(const struct kvm_cpuid_entry2 *e)
{
	/* Hypervisor present, so the guest reads KVM's signature leaf, left as it was. */
	assert_true(e[LEAF1].ecx & CPUID_1_ECX_HYPERVISOR);
	assert_int_equal(e[LEAF_KVM].eax, 0x40000001);
	assert_int_equal(e[LEAF_KVM].ebx, SIG_KVM_EBX);
	assert_int_equal(e[LEAF_KVM].ecx, SIG_KVM_ECX);
	assert_int_equal(e[LEAF_KVM].edx, SIG_KVM_EDX);
	/* No local APIC in this VM. */
	assert_false(e[LEAF1].ecx & CPUID_1_ECX_X2APIC);
	assert_false(e[LEAF1].ecx & CPUID_1_ECX_TSC_DEADLINE);
	assert_false(e[LEAF1].edx & CPUID_1_EDX_APIC);
	/* Everything else untouched. */
	assert_int_equal(e[LEAF1].eax, 0x50654);
	assert_int_equal(e[LEAF1].ecx & (ECX_SSE3 | ECX_AVX), ECX_SSE3 | ECX_AVX);
	assert_int_equal(e[LEAF1].edx, EDX_FPU | CPUID_1_EDX_TSC);
	assert_int_equal(e[LEAF0].eax, 0xd);
	assert_int_equal(e[LEAF7_0].ebx, 0x111);
	assert_int_equal(e[LEAF7_1].eax, 0x222);
	assert_true(e[LEAF_EXT1].ecx & E1_ECX_LAHF);
	assert_int_equal(e[LEAF_EXT1].edx, E1_EDX_LM);
}

static void test_cpuid_nested_on(void **state)
{
	struct kvm_cpuid_entry2 e[NLEAVES];

	(void)state;
	supported(e, true);
	kvm_cpuid_filter(e, NLEAVES, true);
	check_common(e);
	assert_true(e[LEAF1].ecx & CPUID_1_ECX_VMX);
	assert_true(e[LEAF_EXT1].ecx & CPUID_80000001_ECX_SVM);
}

static void test_cpuid_nested_off(void **state)
{
	struct kvm_cpuid_entry2 e[NLEAVES];

	(void)state;
	supported(e, true);
	kvm_cpuid_filter(e, NLEAVES, false);
	check_common(e);
	assert_false(e[LEAF1].ecx & CPUID_1_ECX_VMX);
	assert_false(e[LEAF_EXT1].ecx & CPUID_80000001_ECX_SVM);
}

/* A host KVM without nested VT-x (this machine): VMX is never invented. */
static void test_cpuid_host_without_vmx(void **state)
{
	struct kvm_cpuid_entry2 e[NLEAVES];

	(void)state;
	supported(e, false);
	kvm_cpuid_filter(e, NLEAVES, true);
	check_common(e);
	assert_false(e[LEAF1].ecx & CPUID_1_ECX_VMX);
}

/* A host that already sets the hypervisor bit (KVM nested under KVM): kept. */
static void test_cpuid_hypervisor_already_set(void **state)
{
	struct kvm_cpuid_entry2 e[NLEAVES];

	(void)state;
	supported(e, true);
	e[LEAF1].ecx |= CPUID_1_ECX_HYPERVISOR;
	kvm_cpuid_filter(e, NLEAVES, true);
	check_common(e);
}

static void test_cpuid_find(void **state)
{
	struct kvm_cpuid_entry2 e[NLEAVES];

	(void)state;
	supported(e, true);
	assert_ptr_equal(kvm_cpuid_find(e, NLEAVES, 1, 0), &e[LEAF1]);
	assert_ptr_equal(kvm_cpuid_find(e, NLEAVES, 1, 5), &e[LEAF1]); /* index ignored */
	assert_ptr_equal(kvm_cpuid_find(e, NLEAVES, 7, 0), &e[LEAF7_0]);
	assert_ptr_equal(kvm_cpuid_find(e, NLEAVES, 7, 1), &e[LEAF7_1]);
	assert_null(kvm_cpuid_find(e, NLEAVES, 7, 2));
	assert_null(kvm_cpuid_find(e, NLEAVES, 0x40000001, 0));
}

/* ---- boot state -------------------------------------------------------------- */

static void check_flat(const struct kvm_segment *s, bool code)
{
	assert_int_equal(s->base, 0);
	assert_int_equal(s->limit, 0xffffffffu);
	assert_int_equal(s->present, 1);
	assert_int_equal(s->s, 1);          /* code/data, not system */
	assert_int_equal(s->db, 1);         /* 32-bit */
	assert_int_equal(s->l, 0);          /* not 64-bit */
	assert_int_equal(s->g, 1);
	assert_int_equal(s->dpl, 0);
	assert_int_equal(s->unusable, 0);
	if (code) {
		assert_true(s->type & 0x8);       /* code */
		assert_true(s->type & 0x2);       /* readable */
		assert_int_equal(s->selector, LOADER_SEL_CODE);
	} else {
		assert_false(s->type & 0x8);      /* data */
		assert_true(s->type & 0x2);       /* writable */
		assert_int_equal(s->selector, LOADER_SEL_DATA);
	}
	assert_int_equal(s->selector & 3, 0); /* RPL 0 */
}

static void check_boot(const struct kvm_regs *r, const struct kvm_sregs *s, uint32_t entry,
		       uint32_t mbi)
{
	assert_int_equal(r->rax, 0x2BADB002);
	assert_int_equal(r->rbx, mbi);
	assert_int_equal(r->rip, entry);
	assert_int_equal(r->rflags & (RFLAGS_IF | RFLAGS_VM), 0);
	assert_int_equal(r->rflags & 2, 2);
	assert_int_equal(r->rcx | r->rdx | r->rsi | r->rdi | r->rbp | r->r8 | r->r15, 0);

	assert_true(s->cr0 & CR0_PE);
	assert_false(s->cr0 & CR0_PG);
	assert_false(s->cr4 & CR4_PAE);
	assert_false(s->efer & EFER_LME);
	check_flat(&s->cs, true);
	check_flat(&s->ds, false);
	check_flat(&s->es, false);
	check_flat(&s->fs, false);
	check_flat(&s->gs, false);
	check_flat(&s->ss, false);
	assert_int_equal(s->tr.type, 11);   /* busy 32-bit TSS: what VM entry accepts */
	assert_int_equal(s->tr.present, 1);
	assert_int_equal(s->tr.s, 0);
	assert_int_equal(s->ldt.type, 2);
	assert_int_equal(s->ldt.s, 0);
	/* The loader's GDT, not the empty table multiboot would allow. */
	assert_int_equal(s->gdt.base, LOADER_GDT_GPA);
	assert_int_equal(s->gdt.limit, LOADER_GDT_LIMIT);
}

/* The segment register caches exactly what the descriptor its selector names says,
 * in the GDT in guest memory: decoded here by the SDM's bit positions (Vol. 3A,
 * 3.4.5), independently of how the loader encodes it. */
static void check_cached(const uint8_t *ram, const struct kvm_sregs *s,
			 const struct kvm_segment *seg)
{
	uint64_t d;
	uint32_t limit;

	assert_true(seg->selector >= 8);    /* not the null descriptor */
	assert_true((seg->selector & ~7u) + 7 <= s->gdt.limit);
	memcpy(&d, ram + s->gdt.base + (seg->selector & ~7u), 8);
	limit = (uint32_t)((d & 0xffff) | ((d >> 48) & 0xf) << 16);
	if ((d >> 55) & 1)
		limit = limit << 12 | 0xfff;
	assert_int_equal(seg->base, ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24);
	assert_int_equal(seg->limit, limit);
	assert_int_equal(seg->type, (d >> 40) & 0xf);
	assert_int_equal(seg->s, (d >> 44) & 1);
	assert_int_equal(seg->dpl, (d >> 45) & 3);
	assert_int_equal(seg->present, (d >> 47) & 1);
	assert_int_equal(seg->avl, (d >> 52) & 1);
	assert_int_equal(seg->l, (d >> 53) & 1);
	assert_int_equal(seg->db, (d >> 54) & 1);
	assert_int_equal(seg->g, (d >> 55) & 1);
}

static void test_boot_state(void **state)
{
	struct loader_result lr = { .entry = 0x10000c, .mbi = 0x9000, .gdt_base = LOADER_GDT_GPA,
				    .gdt_limit = LOADER_GDT_LIMIT };
	struct kvm_regs r;
	struct kvm_sregs s;

	(void)state;
	/* Garbage everywhere, as if KVM_GET_SREGS had returned a running CPU's state. */
	memset(&r, 0xaa, sizeof(r));
	memset(&s, 0xaa, sizeof(s));
	s.apic_base = 0xfee00900;
	s.interrupt_bitmap[0] = 0x1234;
	kvm_boot_state(&lr, &r, &s);
	check_boot(&r, &s, 0x10000c, 0x9000);
	/* What KVM owns stays as KVM_GET_SREGS said. */
	assert_int_equal(s.apic_base, 0xfee00900);
	assert_int_equal(s.interrupt_bitmap[0], 0x1234);
}

static const char *smoke_path = "build/l2-guests/smoke.elf";

/* The real smoke guest through the real loader: EIP is the ELF's e_entry and EBX
 * points at a multiboot info inside guest RAM that says where memory is. */
static void test_boot_state_smoke(void **state)
{
	FILE *f = fopen(smoke_path, "rb");
	uint8_t *image, *ram;
	long len;
	struct gmem g;
	struct loader_result lr;
	struct kvm_regs r;
	struct kvm_sregs s;
	struct multiboot_info mbi;
	uint32_t e_entry;
	char err[160];

	(void)state;
	if (!f) {
		fprintf(stderr, "%s missing (run make): skipped\n", smoke_path);
		skip();
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	image = malloc((size_t)len);
	assert_non_null(image);
	assert_int_equal(fread(image, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	memcpy(&e_entry, image + 24, 4); /* ELF32 e_entry */

	g.size = 32ull << 20;
	ram = calloc(1, g.size);
	assert_non_null(ram);
	g.base = ram;
	assert_int_equal(loader_load(&g, image, (uint64_t)len, "smoke.elf echo=x", NULL, 0, &lr,
				     err, sizeof(err)), 0);
	memset(&r, 0x55, sizeof(r));
	memset(&s, 0x55, sizeof(s));
	kvm_boot_state(&lr, &r, &s);
	check_boot(&r, &s, e_entry, lr.mbi);
	check_cached(ram, &s, &s.cs);
	check_cached(ram, &s, &s.ds);
	check_cached(ram, &s, &s.es);
	check_cached(ram, &s, &s.fs);
	check_cached(ram, &s, &s.gs);
	check_cached(ram, &s, &s.ss);
	assert_true(r.rbx + sizeof(mbi) <= g.size);
	memcpy(&mbi, ram + r.rbx, sizeof(mbi));
	assert_true(mbi.flags & MULTIBOOT_INFO_MEMORY);
	assert_int_equal(mbi.mem_upper, (g.size >> 10) - 1024);
	assert_true(mbi.flags & MULTIBOOT_INFO_CMDLINE);
	assert_string_equal((const char *)ram + mbi.cmdline, "smoke.elf echo=x");
	free(ram);
	free(image);
}

static void test_exit_names(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(kvm_exit_name(KVM_EXIT_IO, buf, sizeof(buf)), "KVM_EXIT_IO");
	assert_string_equal(kvm_exit_name(8, buf, sizeof(buf)), "KVM_EXIT_SHUTDOWN");
	assert_string_equal(kvm_exit_name(9, buf, sizeof(buf)), "KVM_EXIT_FAIL_ENTRY");
	assert_string_equal(kvm_exit_name(17, buf, sizeof(buf)), "KVM_EXIT_INTERNAL_ERROR");
	assert_string_equal(kvm_exit_name(KVM_EXIT_HLT, buf, sizeof(buf)), "KVM_EXIT_HLT");
	assert_string_equal(kvm_exit_name(9999, buf, sizeof(buf)), "KVM_EXIT_9999");
}

int main(int argc, char **argv)
{
	const char *p = build_path(argc > 0 ? argv[0] : NULL, "l2-guests/smoke.elf");

	if (p)
		smoke_path = p;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuid_nested_on),
		cmocka_unit_test(test_cpuid_nested_off),
		cmocka_unit_test(test_cpuid_host_without_vmx),
		cmocka_unit_test(test_cpuid_hypervisor_already_set),
		cmocka_unit_test(test_cpuid_find),
		cmocka_unit_test(test_boot_state),
		cmocka_unit_test(test_boot_state_smoke),
		cmocka_unit_test(test_exit_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
