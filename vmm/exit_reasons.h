/* exit_reasons.h - the basic VM-exit reasons (SDM Vol. 3D, Appendix C), one line
 * each: X(number, NAME, "name"). The list is the one place a reason is spelled: it
 * makes the EXIT_REASON_NAME constants (vmx.h) and the names the hypervisor prints
 * and puts in its hv.exits records (exit_reasons.c). A reason added here gets both;
 * numbers not listed (5 and 6, SMIs; 35, 38 and 42, unused) are unknown. */
#ifndef NB_EXIT_REASONS_H
#define NB_EXIT_REASONS_H

#define VMX_EXIT_REASONS(X)                                        \
	X(0, EXCEPTION_NMI, "exception_nmi")                       \
	X(1, EXTERNAL_INTERRUPT, "external_interrupt")             \
	X(2, TRIPLE_FAULT, "triple_fault")                         \
	X(3, INIT_SIGNAL, "init_signal")                           \
	X(4, SIPI_SIGNAL, "sipi_signal")                           \
	X(7, INTERRUPT_WINDOW, "interrupt_window")                 \
	X(8, NMI_WINDOW, "nmi_window")                             \
	X(9, TASK_SWITCH, "task_switch")                           \
	X(10, CPUID, "cpuid")                                      \
	X(11, GETSEC, "getsec")                                    \
	X(12, HLT, "hlt")                                          \
	X(13, INVD, "invd")                                        \
	X(14, INVLPG, "invlpg")                                    \
	X(15, RDPMC, "rdpmc")                                      \
	X(16, RDTSC, "rdtsc")                                      \
	X(17, RSM, "rsm")                                          \
	X(18, VMCALL, "vmcall")                                    \
	X(19, VMCLEAR, "vmclear")                                  \
	X(20, VMLAUNCH, "vmlaunch")                                \
	X(21, VMPTRLD, "vmptrld")                                  \
	X(22, VMPTRST, "vmptrst")                                  \
	X(23, VMREAD, "vmread")                                    \
	X(24, VMRESUME, "vmresume")                                \
	X(25, VMWRITE, "vmwrite")                                  \
	X(26, VMOFF, "vmoff")                                      \
	X(27, VMON, "vmon")                                        \
	X(28, CR_ACCESS, "cr_access")                              \
	X(29, DR_ACCESS, "dr_access")                              \
	X(30, IO_INSTRUCTION, "io_instruction")                    \
	X(31, MSR_READ, "msr_read")                                \
	X(32, MSR_WRITE, "msr_write")                              \
	X(33, INVALID_STATE, "invalid_guest_state")                \
	X(34, MSR_LOAD_FAIL, "msr_load_fail")                      \
	X(36, MWAIT_INSTRUCTION, "mwait")                          \
	X(37, MONITOR_TRAP_FLAG, "monitor_trap_flag")              \
	X(39, MONITOR_INSTRUCTION, "monitor")                      \
	X(40, PAUSE_INSTRUCTION, "pause")                          \
	X(41, MCE_DURING_VMENTRY, "mce_during_vmentry")            \
	X(43, TPR_BELOW_THRESHOLD, "tpr_below_threshold")          \
	X(44, APIC_ACCESS, "apic_access")                          \
	X(45, EOI_INDUCED, "eoi_induced")                          \
	X(46, GDTR_IDTR, "gdtr_idtr")                              \
	X(47, LDTR_TR, "ldtr_tr")                                  \
	X(48, EPT_VIOLATION, "ept_violation")                      \
	X(49, EPT_MISCONFIG, "ept_misconfig")                      \
	X(50, INVEPT, "invept")                                    \
	X(51, RDTSCP, "rdtscp")                                    \
	X(52, PREEMPTION_TIMER, "preemption_timer")                \
	X(53, INVVPID, "invvpid")                                  \
	X(54, WBINVD, "wbinvd")                                    \
	X(55, XSETBV, "xsetbv")                                    \
	X(56, APIC_WRITE, "apic_write")                            \
	X(57, RDRAND, "rdrand")                                    \
	X(58, INVPCID, "invpcid")                                  \
	X(59, VMFUNC, "vmfunc")                                    \
	X(60, ENCLS, "encls")                                      \
	X(61, RDSEED, "rdseed")                                    \
	X(62, PML_FULL, "pml_full")                                \
	X(63, XSAVES, "xsaves")                                    \
	X(64, XRSTORS, "xrstors")

#define EXIT_REASON_ENUM_ENTRY(nr, name, str) EXIT_REASON_##name = nr,
enum exit_reason {
	VMX_EXIT_REASONS(EXIT_REASON_ENUM_ENTRY)
	/* The size of per-reason tables: one past the last reason, because the list is in
	 * ascending order (a number out of order overflows the name table: no build). */
	EXIT_REASON_MAX
};
#undef EXIT_REASON_ENUM_ENTRY

/* The reason's name as records spell it ([a-z0-9_]), "unknown" for a number not
 * listed above (exit_reasons.c). */
const char *exit_reason_name(unsigned reason);

#endif
