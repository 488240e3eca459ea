/* The PMU programming sequence (lib/pmu.c) against a mocked MSR interface: the exact
 * writes, in order, and the probe's verdicts on a missing, a faulting and a working PMU. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "msr.h"
#include "pmu.h"

struct write { uint32_t msr; uint64_t val; };

struct mock {
	uint32_t leaf0a_eax, max_leaf;
	uint32_t fault_msr;          /* writes to it raise #GP (13); 0: none */
	struct write w[32];
	unsigned nw;
	uint64_t evtsel[8];
};

static int m_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
	struct mock *m = ctx;
	*val = msr >= MSR_IA32_PERFEVTSEL0 && msr < MSR_IA32_PERFEVTSEL0 + 8
		       ? m->evtsel[msr - MSR_IA32_PERFEVTSEL0] : 0;
	return 0;
}

static int m_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
	struct mock *m = ctx;
	if (msr == m->fault_msr)
		return 13;
	m->w[m->nw++] = (struct write){ msr, val };
	if (msr >= MSR_IA32_PERFEVTSEL0 && msr < MSR_IA32_PERFEVTSEL0 + 8)
		m->evtsel[msr - MSR_IA32_PERFEVTSEL0] = val;
	return 0;
}

static int m_rdpmc(void *ctx, uint32_t idx, uint64_t *val)
{
	(void)ctx;
	*val = 1000 + idx;
	return 0;
}

static void m_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	struct mock *m = ctx;
	(void)sub;
	memset(out, 0, 4 * sizeof(uint32_t));
	if (leaf == 0)
		out[0] = m->max_leaf;
	else if (leaf == 0xa)
		out[0] = m->leaf0a_eax;
}

static struct pmu_ops ops_for(struct mock *m)
{
	return (struct pmu_ops){ m_rdmsr, m_wrmsr, m_rdpmc, m_cpuid, m };
}

#define EN_USR_OS (PMU_EVTSEL_EN | PMU_EVTSEL_USR | PMU_EVTSEL_OS)

static void test_program_v2_sequence(void **state)
{
	(void)state;
	struct mock m = { .max_leaf = 0x16 };
	struct pmu_ops ops = ops_for(&m);
	struct pmu_info info = { .version = 4, .counters = 4, .width = 48 };
	const uint64_t codes[2] = { 0x530e08, 0x53104f }; /* skl walk completed, EPT walk */
	const struct write want[] = {
		{ MSR_IA32_PERF_GLOBAL_CTRL, 0 },
		{ MSR_IA32_PERFEVTSEL0, 0 }, { MSR_IA32_PMC0, 0 },
		{ MSR_IA32_PERFEVTSEL0, 0x530e08 | EN_USR_OS },
		{ MSR_IA32_PERFEVTSEL0 + 1, 0 }, { MSR_IA32_PMC0 + 1, 0 },
		{ MSR_IA32_PERFEVTSEL0 + 1, 0x53104f | EN_USR_OS },
		{ MSR_IA32_PERF_GLOBAL_CTRL, 0x3 },
	};

	assert_int_equal(pmu_program(&ops, &info, codes, 2), 0);
	assert_int_equal(m.nw, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < m.nw; i++) {
		assert_int_equal(m.w[i].msr, want[i].msr);
		assert_int_equal(m.w[i].val, want[i].val);
	}
	m.nw = 0;
	assert_int_equal(pmu_stop(&ops, &info), 0);
	assert_int_equal(m.nw, 1);
	assert_int_equal(m.w[0].msr, MSR_IA32_PERF_GLOBAL_CTRL);
	assert_int_equal(m.w[0].val, 0);
}

static void test_program_v1_has_no_global_ctrl(void **state)
{
	(void)state;
	struct mock m = { .max_leaf = 0xa };
	struct pmu_ops ops = ops_for(&m);
	struct pmu_info info = { .version = 1, .counters = 2, .width = 40 };
	const uint64_t code = 0x530e08;

	assert_int_equal(pmu_program(&ops, &info, &code, 1), 0);
	assert_int_equal(m.nw, 3);
	assert_int_equal(m.w[0].msr, MSR_IA32_PERFEVTSEL0);
	assert_int_equal(m.w[1].msr, MSR_IA32_PMC0);
	assert_int_equal(m.w[2].val, 0x530e08 | EN_USR_OS);
	m.nw = 0;
	/* Stopping clears EN in every event select instead. */
	assert_int_equal(pmu_stop(&ops, &info), 0);
	assert_int_equal(m.nw, 2);
	assert_int_equal(m.w[0].val, (0x530e08 | EN_USR_OS) & ~PMU_EVTSEL_EN);
	assert_int_equal(m.w[1].val, 0);
}

static void test_program_refuses_too_many_events(void **state)
{
	(void)state;
	struct mock m = { .max_leaf = 0xa };
	struct pmu_ops ops = ops_for(&m);
	struct pmu_info info = { .version = 2, .counters = 2 };
	const uint64_t codes[3] = { 1, 2, 3 };

	assert_int_equal(pmu_program(&ops, &info, codes, 3), -1);
	assert_int_equal(m.nw, 0);
}

static void test_probe_no_pmu(void **state)
{
	(void)state;
	struct mock m = { .max_leaf = 0xd, .leaf0a_eax = 0 };
	struct pmu_ops ops = ops_for(&m);
	struct pmu_info info;
	char why[128];

	assert_int_equal(pmu_probe(&ops, &info, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no architectural PMU"));
	m.max_leaf = 7;
	assert_int_equal(pmu_probe(&ops, &info, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no leaf 0AH"));
}

/* Bochs: CPUID.0AH says version 2 with 4 counters, the first MSR write faults. */
static void test_probe_advertised_but_faulting(void **state)
{
	(void)state;
	struct mock m = { .max_leaf = 0xd, .leaf0a_eax = 0x30402, .fault_msr = MSR_IA32_PERFEVTSEL0 };
	struct pmu_ops ops = ops_for(&m);
	struct pmu_info info;
	char why[128];

	assert_int_equal(pmu_probe(&ops, &info, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "vector 13"));
	assert_non_null(strstr(why, "advertised but not implemented"));
}

static void test_probe_working(void **state)
{
	(void)state;
	struct mock m = { .max_leaf = 0x16, .leaf0a_eax = 0x07300804 };
	struct pmu_ops ops = ops_for(&m);
	struct pmu_info info;
	char why[128];
	uint64_t v;

	assert_int_equal(pmu_probe(&ops, &info, why, sizeof(why)), 0);
	assert_int_equal(info.version, 4);
	assert_int_equal(info.counters, 8);
	assert_int_equal(info.width, 48);
	assert_int_equal(pmu_read(&ops, 2, &v), 0);
	assert_int_equal(v, 1002);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program_v2_sequence),
		cmocka_unit_test(test_program_v1_has_no_global_ctrl),
		cmocka_unit_test(test_program_refuses_too_many_events),
		cmocka_unit_test(test_probe_no_pmu),
		cmocka_unit_test(test_probe_advertised_but_faulting),
		cmocka_unit_test(test_probe_working),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
