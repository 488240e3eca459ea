/* console.h - console output to COM1 and/or the 0xE9 debug port.
 *
 * COM1 is what every platform captures (a file under Bochs, -serial under QEMU, the
 * hypervisor's and the launcher's console). Port 0xE9 costs no virtual time under
 * Bochs but has no standard device elsewhere, so it is opt-in: console=com1|e9|both
 * on the kernel command line. Output never goes through an interrupt: it polls, with
 * a bound, so a missing UART cannot hang a kernel. */
#ifndef NB_CONSOLE_H
#define NB_CONSOLE_H

#include <stddef.h>

#define CONSOLE_COM1 1u
#define CONSOLE_E9   2u

void console_init(void);
void console_select(unsigned sinks);
void console_write(const char *s, size_t n);
/* Writes to the given sinks, whatever console= selected: a hypervisor passes its
 * guest's COM1 bytes to COM1 and its 0xE9 bytes to port 0xE9, each to its own. */
void console_write_to(unsigned sinks, const char *s, size_t n);
/* Waits until COM1 has shifted out its last bit (LSR.TEMT); Bochs's file backend
 * drops bytes still in the UART when the machine stops. */
void console_flush(void);

#endif
