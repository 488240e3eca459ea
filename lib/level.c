/* level.c - the level below us from CPUID: the hypervisor-present bit
 * (CPUID.1:ECX[31]) and the signature at leaf 0x40000000. A nestbench hypervisor also
 * says its own level at 0x40000001; other hypervisors do not, so we count one. QEMU's
 * TCG sets the bit too ("TCGTCGTCGTCG"), but it is the emulated CPU itself, as Bochs
 * is, not a hypervisor layer: level 0. */
#include "cpu.h"
#include "fmt.h"
#include "hypercall.h"
#include "level.h"
#include "string.h"


void level_detect(struct level_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!(cpuid(1, 0).c & CPUID_1_ECX_HYPERVISOR))
		return;
	struct cpuid s = cpuid(HV_CPUID_SIGNATURE, 0);
	memcpy(out->vendor, &s.b, 4);
	memcpy(out->vendor + 4, &s.c, 4);
	memcpy(out->vendor + 8, &s.d, 4);
	/* The signature becomes the records' hv= value. */
	fmt_word(out->vendor, 12);
	out->nestbench = s.b == HV_SIGNATURE_EBX && s.c == HV_SIGNATURE_ECX &&
			 s.d == HV_SIGNATURE_EDX;
	out->emulator = !memcmp(out->vendor, "TCGTCGTCGTCG", 12);
	if (out->emulator)
		out->level = 0;
	else
		out->level = out->nestbench ? (int)cpuid(HV_CPUID_INFO, 0).a : 1;
}

void level_below_desc(const struct level_info *b, char *buf, unsigned size)
{
	if (!b->level)
		sformat(buf, size, "none");
	else if (b->nestbench)
		sformat(buf, size, "nestbench-L%d", b->level - 1);
	else
		sformat(buf, size, "%s", b->vendor);
}

void cpu_identity(char *buf, unsigned size)
{
	struct cpuid v = cpuid(0, 0), f = cpuid(1, 0);
	char vendor[13];
	unsigned family = (f.a >> 8) & 0xf, model = (f.a >> 4) & 0xf;

	memcpy(vendor, &v.b, 4);
	memcpy(vendor + 4, &v.d, 4);
	memcpy(vendor + 8, &v.c, 4);
	vendor[12] = 0;
	/* The vendor string is the records' cpu= value, as the signature is hv=. */
	fmt_word(vendor, 12);
	/* Extended family and model count from family 0xF and 0x6 (SDM CPUID.01H:EAX). */
	if (family == 0xf)
		family += (f.a >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((f.a >> 16) & 0xf) << 4;
	sformat(buf, size, "%s-%u-%u-%u", vendor, family, model, f.a & 0xf);
}
