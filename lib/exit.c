/* exit.c - see exit.h for the protocol. */
#include "exit.h"
#include "console.h"
#include "cpu.h"
#include "printf.h"

#define BOCHS_SHUTDOWN_PORT 0x8900

void exit(int status)
{
	static int exiting;

	if (status < 0 || status > 127)
		status = EXIT_FAIL;
	cli();
	if (!exiting++)
		printf("@exit status=%d\n", status);
	console_flush();
	outl(EXIT_PORT, (uint32_t)status);
	if (status == 0)
		asm volatile("xchg %%bx, %%bx" ::: "memory"); /* Bochs magic breakpoint */
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	for (;;)
		hlt();
}
