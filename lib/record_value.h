/* record_value.h - the characters a record value may hold (docs/records.md): letters,
 * digits and _-.,:=()/+, nothing a CSV cell, a gnuplot or shell string or LaTeX would
 * have to escape, so a value can never become code downstream. One definition for
 * the code that writes records (microbench/framework.c) and the one parser that
 * enforces it (host/record.c). Pure logic, built in both worlds. */
#ifndef NB_RECORD_VALUE_H
#define NB_RECORD_VALUE_H

#include <stdbool.h>

static inline bool record_value_char(int c)
{
	switch (c) {
	case '_': case '-': case '.': case ',': case ':': case '=': case '(': case ')':
	case '/': case '+':
		return true;
	default:
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}
}

#endif
