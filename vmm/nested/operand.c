/* operand.c - decoding a VMX instruction's operand; see operand.h. */
#include "exception.h"
#include "nested/operand.h"

#define INFO_SCALE(i)        ((i) & 3)
#define INFO_REG1(i)         (((i) >> 3) & 15)
#define INFO_ADDR_SIZE(i)    (((i) >> 7) & 7)
#define INFO_IS_REG          (1u << 10)
#define INFO_SEG(i)          (((i) >> 15) & 7)
#define INFO_INDEX(i)        (((i) >> 18) & 15)
#define INFO_INDEX_INVALID   (1u << 22)
#define INFO_BASE(i)         (((i) >> 23) & 15)
#define INFO_BASE_INVALID    (1u << 27)
#define INFO_REG2(i)         (((i) >> 28) & 15)

static uint64_t wrap(uint64_t a, unsigned bytes)
{
	return bytes == 8 ? a : a & ((1ULL << (8 * bytes)) - 1);
}

int vmx_operand_decode(uint32_t info, uint64_t disp, const uint64_t gpr[16], bool reg_form,
		       struct vmx_operand *op)
{
	unsigned size = INFO_ADDR_SIZE(info);

	*op = (struct vmx_operand){ .reg2 = INFO_REG2(info), .seg = INFO_SEG(info) };
	if (reg_form && (info & INFO_IS_REG)) {
		op->is_reg = true;
		op->reg = INFO_REG1(info);
		return 0;
	}
	if (size > 2 || op->seg > SEG_GS)
		return -1;
	op->addr_bytes = 2u << size;
	uint64_t a = disp;
	if (!(info & INFO_BASE_INVALID))
		a += gpr[INFO_BASE(info)];
	if (!(info & INFO_INDEX_INVALID))
		a += gpr[INFO_INDEX(info)] << INFO_SCALE(info);
	op->offset = wrap(a, op->addr_bytes);
	return 0;
}

bool vmx_canonical(uint64_t a, unsigned bits)
{
	int64_t s = (int64_t)(a << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == a;
}

int vmx_operand_linear(const struct vmx_operand *op, const struct vmx_segment *s,
		       unsigned size, uint64_t *gla)
{
	int fault = op->seg == SEG_SS ? EXC_SS : EXC_GP;

	if (s->long_mode) {
		bool based = op->seg == SEG_FS || op->seg == SEG_GS;
		uint64_t a = op->offset + (based ? s->base : 0);
		if (!vmx_canonical(a, s->va_bits) || !vmx_canonical(a + size - 1, s->va_bits))
			return fault;
		*gla = a;
		return 0;
	}
	if (op->offset + size - 1 > s->limit)
		return fault;
	*gla = (s->base + op->offset) & 0xffffffffULL;
	return 0;
}
