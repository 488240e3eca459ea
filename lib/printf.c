/* printf.c - printf and panic on top of fmt.c and the console. */
#include "printf.h"
#include "console.h"
#include "exit.h"

int vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	va_list aq;

	va_copy(aq, ap);
	int n = vsformat(buf, sizeof(buf), fmt, aq);
	va_end(aq);
	if (n < 0)
		return n;
	console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	if ((size_t)n >= sizeof(buf))
		console_write("...[truncated]\n", 15);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("\nPANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(EXIT_PANIC);
}
