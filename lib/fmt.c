/* fmt.c - printf-style formatting into a caller's buffer (see fmt.h).
 *
 * Pure logic, no libc, no floating point: the kernels are built with
 * -mgeneral-regs-only, and the unit tests compare it against the host's
 * snprintf, so behaviour follows C99 wherever fmt.h does not say otherwise. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"

/* Output cursor. len counts every character the full output needs, even those
 * that did not fit, because the return value must be the untruncated length. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1 when absent */
};

static void put(struct out *o, char c)
{
	/* Keep the last byte for the terminator. */
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Reads a decimal field, saturating so a silly width cannot overflow an int. */
static int read_num(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n < 100000000)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

static void pad(struct out *o, const struct spec *sp, int len, bool before)
{
	if (sp->width > len && sp->left != before)
		put_n(o, ' ', sp->width - len);
}

static void emit_str(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	/* Precision bounds the read as well, so %.*s may point at an unterminated array. */
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	pad(o, sp, n, true);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	pad(o, sp, n, false);
}

static void emit_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
		     unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];		/* 22 octal digits cover 64 bits */
	int nd = 0, prec = sp->prec, npre = 0, len;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	/* The '0' flag is ignored with '-' or with a precision, as in C99. */
	bool zeros = sp->zero && !sp->left && sp->prec < 0;

	/* C99: an explicit zero precision prints no digits for the value zero. */
	while (v || (nd == 0 && prec != 0)) {
		tmp[nd++] = digits[v % base];
		v /= base;
	}
	if (prec < nd)
		prec = nd;
	/* '#' on octal forces a leading zero only when there is not one already. */
	if (base == 8 && sp->alt && (nd == 0 || tmp[nd - 1] != '0') && prec <= nd)
		prec = nd + 1;
	while (prefix && prefix[npre])
		npre++;
	len = prec + npre + (sign != 0);

	if (!zeros)
		pad(o, sp, len, true);
	if (sign)
		put(o, sign);
	for (int i = 0; i < npre; i++)
		put(o, prefix[i]);
	if (zeros && sp->width > len)
		put_n(o, '0', sp->width - len);
	put_n(o, '0', prec - nd);
	while (nd > 0)
		put(o, tmp[--nd]);
	pad(o, sp, len, false);
}

/* Fetches a signed argument of the size the length modifier names. */
static int64_t arg_signed(va_list *ap, const char *len)
{
	switch (len[0]) {
	case 'h': return len[1] == 'h' ? (signed char)va_arg(*ap, int)
				       : (short)va_arg(*ap, int);
	case 'l': return len[1] == 'l' ? va_arg(*ap, long long) : va_arg(*ap, long);
	case 'z': case 't': return va_arg(*ap, ptrdiff_t);
	case 'j': return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uint64_t arg_unsigned(va_list *ap, const char *len)
{
	switch (len[0]) {
	case 'h': return len[1] == 'h' ? (unsigned char)va_arg(*ap, unsigned)
				       : (unsigned short)va_arg(*ap, unsigned);
	case 'l': return len[1] == 'l' ? va_arg(*ap, unsigned long long)
				       : va_arg(*ap, unsigned long);
	case 'z': case 't': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

int vsformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	/* A va_list may be an array type; a copy lets helpers take it by pointer. */
	va_copy(aq, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { .prec = -1 };
		char len[3] = { 0 };

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-') sp.left = true;
			else if (*fmt == '0') sp.zero = true;
			else if (*fmt == '+') sp.plus = true;
			else if (*fmt == ' ') sp.space = true;
			else if (*fmt == '#') sp.alt = true;
			else break;
		}
		if (*fmt == '*') {
			fmt++;
			sp.width = va_arg(aq, int);
			if (sp.width < 0) {	/* C99: negative '*' width means '-' */
				sp.left = true;
				sp.width = sp.width == INT32_MIN ? 0 : -sp.width;
			}
		} else {
			sp.width = read_num(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				fmt++;
				sp.prec = va_arg(aq, int);
				if (sp.prec < 0)
					sp.prec = -1;
			} else {
				sp.prec = read_num(&fmt);
			}
		}
		if (*fmt == 'h' || *fmt == 'l') {
			len[0] = *fmt++;
			if (*fmt == len[0])
				len[1] = *fmt++;
		} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
			len[0] = *fmt++;
		}

		switch (*fmt) {
		case 'd': case 'i': {
			int64_t v = arg_signed(&aq, len);
			/* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			emit_num(&o, &sp, mag, v < 0, 10, false, NULL);
			break;
		}
		case 'u': case 'x': case 'X': case 'o': {
			uint64_t v = arg_unsigned(&aq, len);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			const char *pre = NULL;

			sp.plus = sp.space = false;
			if (base == 16 && sp.alt && v)
				pre = *fmt == 'X' ? "0X" : "0x";
			emit_num(&o, &sp, v, false, base, *fmt == 'X', pre);
			break;
		}
		case 'p': {
			/* Fixed width so addresses line up in dumps; only width/'-' apply. */
			struct spec ps = { .left = sp.left, .width = sp.width, .prec = 16 };
			emit_num(&o, &ps, (uintptr_t)va_arg(aq, void *), false, 16, false, "0x");
			break;
		}
		case 's':
			emit_str(&o, &sp, va_arg(aq, const char *));
			break;
		case 'c':
			/* Not via emit_str, so that %c of '\0' still emits one byte. */
			pad(&o, &sp, 1, true);
			put(&o, (char)va_arg(aq, int));
			pad(&o, &sp, 1, false);
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown (or a lone '%' at the end): show the spec as written. */
			while (start < fmt)
				put(&o, *start++);
			if (*fmt)
				put(&o, *fmt);
			else
				continue;
		}
		fmt++;
	}
	va_end(aq);

	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? -1 : (int)o.len;
}

int sformat(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void fmt_word(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			s[i] = '_';
	}
}
