/* printf.h - console printing, panic and assert for kernels. */
#ifndef NB_PRINTF_H
#define NB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>
#include "fmt.h"

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
#define snprintf sformat
#define vsnprintf vsformat

__attribute__((noreturn, format(printf, 3, 4)))
void panic_at(const char *file, int line, const char *fmt, ...);

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define assert(cond) \
	((cond) ? (void)0 : panic_at(__FILE__, __LINE__, "assertion failed: %s", #cond))

#endif
