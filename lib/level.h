/* level.h - how many hypervisors sit below this code (docs/architecture.md). Uses only
 * CPUID, so it serves kernels and hosted programs alike. */
#ifndef NB_LEVEL_H
#define NB_LEVEL_H

#include <stdbool.h>

struct level_info {
	int level;              /* 0 bare; 1 + a nestbench hypervisor's own level; 1 otherwise */
	bool nestbench;         /* the hypervisor directly below is ours */
	bool emulator;          /* the CPU says it is QEMU's TCG: software, not silicon */
	char vendor[13];        /* its CPUID 0x40000000 signature, "" when bare */
};

void level_detect(struct level_info *out);

/* What the code runs on, as a configuration string names it (the hypervisor's
 * below:): "none" on the platform itself, "nestbench-L<n>" on our hypervisor at
 * level n, else the other hypervisor's sanitised signature ("KVMKVMKVM___"). */
void level_below_desc(const struct level_info *b, char *buf, unsigned size);

/* "GenuineIntel-6-85-4": vendor, family, model, stepping (display values, SDM CPUID.01H). */
void cpu_identity(char *buf, unsigned size);

#endif
