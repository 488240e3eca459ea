/* hypercall.h - the nestbench hypercall ABI, shared by the hypervisor and its guests.
 *
 * A guest executes VMCALL with the call number in RAX and arguments in RBX, RCX and
 * RDX. The result comes back in RAX: 0 or a positive value on success, a negative
 * HC_E* code on failure. Other registers are preserved unless a call says otherwise.
 * Guest pointers are guest-physical addresses; the hypervisor checks that the whole
 * range lies inside the guest's RAM before it touches a byte.
 *
 * A guest finds the hypervisor through CPUID leaf 0x40000000 (HV_CPUID_SIGNATURE):
 * EAX = the highest hypervisor leaf, EBX:ECX:EDX = "NestBenchVMM". */
#ifndef NB_HYPERCALL_H
#define NB_HYPERCALL_H

#include <stdint.h>

#define HV_CPUID_SIGNATURE 0x40000000u
#define HV_CPUID_INFO      0x40000001u  /* EAX = the guest's level, EBX = ABI version */
#define HV_SIGNATURE_EBX   0x7473654eu  /* "Nest" */
#define HV_SIGNATURE_ECX   0x636e6542u  /* "Benc" */
#define HV_SIGNATURE_EDX   0x4d4d5668u  /* "hVMM" */
#define HV_ABI_VERSION     1

enum hypercall_nr {
	HC_NULL = 0,    /* does nothing, returns 0: the cheapest round trip */
	HC_INFO = 1,    /* returns the guest's level (1 + the hypervisor's); RBX = ABI
			 * version, RCX = the hypervisor's configuration flags (HV_CFG_*) */
	HC_WRITE = 2,   /* RBX = guest-physical address, RCX = length (<= HC_WRITE_MAX):
			 * writes the bytes to the hypervisor's console; returns the length */
	HC_WALK = 3,    /* RBX = guest-linear address: walks the guest's page tables and,
			 * for every guest-physical address that walk touches (each table
			 * and the data), the EPT, in software, as a TLB miss would.
			 * Returns the memory references of the whole two-dimensional
			 * walk; RBX = guest table entries read, RCX = EPT entries read
			 * for the data's translation, RDX = guest page level (1 4K, 2 2M,
			 * 3 1G) | EPT page level << 8. HC_EFAULT when not mapped,
			 * HC_EINVAL outside long mode. */
	HC_EXITS = 4,   /* RBX = a basic exit reason (0-65535), or any larger value for
			 * none: returns the hypervisor's count of the caller's exits so
			 * far, all reasons, this call's own exit not included; RBX = the
			 * count of the reason asked (0 when none was). */
};
#define HC_WRITE_MAX 4096

#define HC_ENOSYS (-1)  /* unknown call number */
#define HC_EFAULT (-2)  /* a pointer outside the guest's RAM */
#define HC_EINVAL (-3)  /* a bad argument (e.g. a length over the limit) */
#define HC_EPERM  (-4)  /* called from guest user mode (CPL > 0) */

/* HC_INFO RCX bits */
#define HV_CFG_VPID (1u << 0)
#define HV_CFG_PMU  (1u << 1)
#define HV_CFG_EPT_AD (1u << 2)

/* The MMIO test device: one guest-physical page that the EPT leaves unmapped, so
 * every access to it exits (EPT violation) and is emulated. MOV loads and stores of
 * 1, 2, 4 or 8 bytes are supported. Offset 0 reads HV_MMIO_ID; offset 8 is a
 * read/write scratch register; other offsets read 0 and ignore writes. */
#define HV_MMIO_TEST_GPA 0xfeb00000ULL
#define HV_MMIO_ID       0x4f494d4d424eULL  /* "NBMMIO" */
#define HV_MMIO_SCRATCH  0x8

/* RBX, RCX and RDX are in-out operands because a call may return values in them
 * (HC_INFO does). */
static inline long hypercall(unsigned long nr, unsigned long a, unsigned long b,
			     unsigned long c)
{
	long ret;
	asm volatile("vmcall" : "=a"(ret), "+b"(a), "+c"(b), "+d"(c) : "a"(nr) : "memory");
	return ret;
}

/* The same call, for the ones whose results are in RBX, RCX and RDX too (HC_INFO,
 * HC_WALK, HC_EXITS): *b, *c and *d go in as the arguments and hold those after. */
static inline long hypercall_regs(unsigned long nr, uint64_t *b, uint64_t *c, uint64_t *d)
{
	long ret;
	asm volatile("vmcall" : "=a"(ret), "+b"(*b), "+c"(*c), "+d"(*d) : "a"(nr) : "memory");
	return ret;
}

#endif
