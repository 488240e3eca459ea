/* kvmrun - boot one multiboot v1 kernel (plus modules) on /dev/kvm, as QEMU -kernel
 * would, with COM1, port 0xe9 and the 0xf4 exit port; exit with the kernel's status.
 *
 * Everything the user can get wrong (options, files, the kernel's ELF and multiboot
 * headers, the memory size) is checked and loaded into guest RAM before /dev/kvm is
 * opened, so bad input gets its own clear error even on a machine without KVM. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "kvm_io.h"
#include "kvm_vm.h"
#include "loader.h"

#define MiB (1ULL << 20)
#define DEFAULT_MEM_MIB 512     /* scripts/boot's default too */
#define MIN_MEM_MIB 2           /* the loader needs RAM above 1 MiB */
#define ELF_MAGIC "\177ELF"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: kvmrun [options] KERNEL [\"ARGS\"] [MODULE [\"ARGS\"]]...\n"
"\n"
"Boots a multiboot v1 kernel on /dev/kvm as QEMU -kernel would (32-bit protected\n"
"mode, EAX=0x2BADB002, EBX=multiboot info), prints its COM1 output (and its port\n"
"0xe9 output, separately), and exits with the status the kernel wrote to port\n"
"0xf4. Each argument that names an existing file starts a new image (the kernel\n"
"first, then modules); any other argument is the command line of the image before\n"
"it. The kernel's command line is \"KERNEL ARGS\", a module's string \"MODULE ARGS\",\n"
"as GRUB passes them.\n"
"\n"
"Options:\n"
"  --mem MiB       guest RAM, %d..%llu (default %d)\n"
"  --timeout S     stop the guest after S seconds of wall time (default: none)\n"
"  --dev PATH      the KVM device (default /dev/kvm)\n"
"  --serial FILE   write COM1 to FILE instead of stdout\n"
"  --e9 FILE       write port 0xe9 to FILE instead of stderr\n"
"  --nested on|off pass VMX/SVM through when the host KVM offers it (default on)\n"
"  -h, --help      this text\n"
"\n"
"Exit status: the kernel's (0..127); 4 bad arguments or a kernel that cannot be\n"
"loaded; 77 /dev/kvm is not available here; 124 timeout; 125 the guest stopped\n"
"without an exit status (a value above 127 written to port 0xf4, triple fault,\n"
"HLT, access outside RAM, VM-entry failure,\n"
"KVM internal error) or a KVM call failed: the reason is printed on stderr.\n",
		MIN_MEM_MIB, KVM_RAM_MAX / MiB, DEFAULT_MEM_MIB);
}

static void die_args(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die_args(const char *fmt, ...)
{
	va_list ap;

	fputs("kvmrun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(KVMRUN_BADARGS);
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long lo,
			       unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
		die_args("%s takes a number from %lu to %lu, not '%s'", opt, lo, hi, s);
	return v;
}

static bool is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Why path is no image file: stat's error, or what it is instead. */
static const char *not_file_reason(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return strerror(errno);
	return S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
}

/* The whole file in a heap buffer; what says which image it is, for the error. */
static uint8_t *read_file(const char *what, const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		die_args("cannot open %s '%s': %s", what, path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			if (!(buf = realloc(buf, cap)))
				die_args("out of memory reading %s '%s'", what, path);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die_args("cannot read %s '%s': %s", what, path, strerror(errno));
	fclose(f);
	*len = n;
	return buf;
}

/* "PATH ARGS" or "PATH": what GRUB hands a kernel or module, and what our kernels'
 * command-line parser expects (it skips a first word without '='). */
static char *image_string(const char *path, const char *args)
{
	size_t len = strlen(path) + (args ? strlen(args) + 1 : 0) + 1;
	char *s = malloc(len);

	if (!s)
		die_args("out of memory");
	snprintf(s, len, "%s%s%s", path, args ? " " : "", args ? args : "");
	return s;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "dev", required_argument, NULL, 'd' },
		{ "serial", required_argument, NULL, 's' },
		{ "e9", required_argument, NULL, 'e' },
		{ "nested", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long mem_mib = DEFAULT_MEM_MIB, timeout = 0;
	const char *dev = "/dev/kvm", *serial = NULL, *e9_path = NULL;
	bool nested = true;
	int c;

	/* '+': stop at the first non-option, so kernel arguments are never options. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': mem_mib = parse_num("--mem", optarg, MIN_MEM_MIB, KVM_RAM_MAX / MiB); break;
		case 't': timeout = parse_num("--timeout", optarg, 0, 1000000); break;
		case 'd': dev = optarg; break;
		case 's': serial = optarg; break;
		case 'e': e9_path = optarg; break;
		case 'n':
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				die_args("--nested takes on or off, not '%s'", optarg);
			nested = !strcmp(optarg, "on");
			break;
		case 'h': usage(stdout); return 0;
		default: die_args("bad option (see --help)");
		}
	}
	if (optind >= argc)
		die_args("no kernel given (see --help)");

	/* ---- images: the kernel, then modules; other words are their arguments ---- */
	int max = argc - optind;
	const char **paths = calloc((size_t)max, sizeof(*paths));
	const char **args = calloc((size_t)max, sizeof(*args));
	int nimg = 0;

	if (!paths || !args)
		die_args("out of memory");
	for (int i = optind; i < argc; i++) {
		const char *w = argv[i];

		if (nimg == 0 || is_regular_file(w)) {
			if (nimg == 0 && !is_regular_file(w))
				die_args("cannot open kernel '%s': %s", w, not_file_reason(w));
			paths[nimg++] = w;
		} else if (args[nimg - 1]) {
			die_args("two argument strings for %s: '%s' and '%s' (quote them as one, "
				 "or is '%s' a missing file?)", paths[nimg - 1], args[nimg - 1], w, w);
		} else {
			args[nimg - 1] = w;
		}
	}

	uint64_t klen;
	uint8_t *kernel = read_file("kernel", paths[0], &klen);
	if (klen < 4 || memcmp(kernel, ELF_MAGIC, 4))
		die_args("cannot load kernel '%s': not an ELF file", paths[0]);
	struct loader_module *mods = calloc((size_t)nimg, sizeof(*mods));
	if (!mods)
		die_args("out of memory");
	for (int i = 1; i < nimg; i++) {
		mods[i - 1].data = read_file("module", paths[i], &mods[i - 1].len);
		mods[i - 1].string = image_string(paths[i], args[i]);
	}

	/* ---- guest RAM, loaded before KVM ever sees it ---- */
	struct gmem g = { .size = mem_mib * MiB };
	g.base = mmap(NULL, g.size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g.base == MAP_FAILED)
		die_args("cannot allocate %lu MiB of guest RAM: %s", mem_mib, strerror(errno));
	struct loader_result lr;
	char err[256];
	if (loader_load(&g, kernel, klen, image_string(paths[0], args[0]), mods,
			(unsigned)(nimg - 1), &lr, err, sizeof(err)))
		die_args("cannot load kernel '%s': %s", paths[0], err);

	/* ---- COM1 and 0xe9: unbuffered, so nothing is lost when we are killed ---- */
	FILE *console = stdout, *e9 = stderr;
	if (serial && !(console = fopen(serial, "w")))
		die_args("cannot open the serial file '%s': %s", serial, strerror(errno));
	if (e9_path && !(e9 = fopen(e9_path, "w")))
		die_args("cannot open the port 0xe9 file '%s': %s", e9_path, strerror(errno));
	setvbuf(console, NULL, _IONBF, 0);
	setvbuf(e9, NULL, _IONBF, 0);

	/* ---- KVM ---- */
	struct kvm_vm vm;
	struct kvm_io io;
	int rc;

	if ((rc = kvm_vm_open(&vm, dev)))
		return rc;
	if ((rc = kvm_vm_create(&vm, g.base, g.size, nested, &lr)))
		return rc;
	kvm_io_init(&io, console, e9);
	kvm_vm_set_timeout(&vm, (unsigned)timeout);
	rc = kvm_vm_run(&vm, &io);
	if (io.unclaimed)
		fprintf(stderr, "kvmrun: %llu accesses to unclaimed ports (the last at %#x): "
			"the guest looked for a device this VM lacks\n",
			(unsigned long long)io.unclaimed, io.unclaimed_last);
	fprintf(stderr, "kvmrun: %llu exits to userspace; exit status %d\n",
		(unsigned long long)vm.exits, rc);
	return rc;
}
