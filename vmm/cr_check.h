/* cr_check.h - whether a value may be loaded into CR0, CR4 or XCR0: the #GP
 * conditions of MOV to CR0/CR4 (SDM Vol. 3A, 2.5 and the MOV-to-CR page) and of
 * XSETBV (SDM Vol. 1, 13.3) that the hypervisor checks before it lets the guest's
 * write take effect. Pure logic: host-tested (test_cr_check.c). */
#ifndef NB_CR_CHECK_H
#define NB_CR_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/* MOV to CR0 of val, with the guest's current CR0 (old), CR4 and EFER. */
bool cr0_write_ok(uint64_t val, uint64_t old, uint64_t cr4, uint64_t efer);

/* MOV to CR4 of val, with the guest's current CR4 (old) and EFER; supported holds the
 * CR4 bits the guest's CPU has: the VMX FIXED1 MSR's, without VMXE where VMX is
 * hidden from the guest (the caller asks guest_sees_vmx()). */
bool cr4_write_ok(uint64_t val, uint64_t old, uint64_t efer, uint64_t supported);

/* XSETBV of val to XCR index; supported is CPUID.(EAX=0DH,ECX=0):EDX:EAX. */
bool xcr0_write_ok(uint32_t index, uint64_t val, uint64_t supported);

#endif
