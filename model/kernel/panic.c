// SPDX-License-Identifier: GPL-2.0
/*
 * printk, BUG, WARN and the oops report.
 *
 * The kernel log is a buffer of the running machine.  An oops is printed
 * the way the kernel prints one, with a call trace of model functions:
 * return addresses from the host unwinder, resolved to symbols (static
 * functions included) by elfutils' libdwfl.  The frames of this file are
 * left out, as the kernel leaves out its own exception handling.
 *
 * Locking: log_lock and the oops state are host mutexes of this file; they
 * are never held across a call into mm or fs code.
 */
#include <elfutils/libdwfl.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bug.h>
#include <linux/ktime.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/sched.h>

#define LOG_BUF_LEN (256 * 1024)

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[LOG_BUF_LEN];
static size_t log_len;
static bool log_truncated;
static int log_echo;

static struct oops_state oops;
static int warn_gen;
static void (*oops_notify)(void);

int warn_once_gen(void)
{
	return __atomic_load_n(&warn_gen, __ATOMIC_RELAXED);
}

static void log_append(const char *s, size_t n)
{
	if (log_echo)
		fwrite(s, 1, n, stderr);
	if (log_len + n >= LOG_BUF_LEN) {
		log_truncated = true;
		return;
	}
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len] = '\0';
}

static void vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int off;

	if (fmt[0] == '<' && fmt[1] && fmt[2] == '>')
		fmt += 3;
	u64 us = ktime_get_us();

	off = snprintf(line, sizeof(line), "[%5llu.%06llu] ",
		       (unsigned long long)(us / 1000000),
		       (unsigned long long)(us % 1000000));
	vsnprintf(line + off, sizeof(line) - (size_t)off, fmt, ap);
	pthread_mutex_lock(&log_lock);
	log_append(line, strlen(line));
	pthread_mutex_unlock(&log_lock);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

const char *dmesg(void)
{
	return log_buf;
}

void printk_reset(int echo)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	log_buf[0] = '\0';
	log_truncated = false;
	log_echo = echo;
	pthread_mutex_unlock(&log_lock);
	memset(&oops, 0, sizeof(oops));
	__atomic_add_fetch(&warn_gen, 1, __ATOMIC_RELAXED);
}

void panic_set_notifier(void (*fn)(void))
{
	oops_notify = fn;
}

const struct oops_state *oops_state(void)
{
	return &oops;
}

/* Symbol resolution: one Dwfl for the process, made on first use. */
static pthread_mutex_t dwfl_lock = PTHREAD_MUTEX_INITIALIZER;
static Dwfl *dwfl;

static Dwfl *get_dwfl(void)
{
	static const Dwfl_Callbacks cb = {
		.find_elf = dwfl_linux_proc_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
	};

	if (dwfl)
		return dwfl;
	dwfl = dwfl_begin(&cb);
	if (!dwfl)
		return NULL;
	dwfl_report_begin(dwfl);
	if (dwfl_linux_proc_report(dwfl, getpid()) != 0 ||
	    dwfl_report_end(dwfl, NULL, NULL) != 0) {
		dwfl_end(dwfl);
		dwfl = NULL;
	}
	return dwfl;
}

/* Name of the function containing @addr, with offset and size; NULL if none. */
static const char *symbolize(void *addr, unsigned long *off, unsigned long *size)
{
	GElf_Sym sym;
	GElf_Off offset = 0;
	Dwarf_Addr a = (Dwarf_Addr)(uintptr_t)addr;
	Dwfl *d = get_dwfl();
	Dwfl_Module *mod;
	const char *name;

	if (!d)
		return NULL;
	mod = dwfl_addrmodule(d, a);
	if (!mod)
		return NULL;
	name = dwfl_module_addrinfo(mod, a, &offset, &sym, NULL, NULL, NULL);
	if (!name)
		return NULL;
	*off = (unsigned long)offset;
	*size = (unsigned long)sym.st_size;
	return name;
}

static bool is_exception_frame(const char *name)
{
	static const char *const skip[] = {
		"format_trace", "__bug", "__warn", "capture_trace", "set_wchan",
	};

	for (size_t i = 0; i < ARRAY_SIZE(skip); i++) {
		size_t n = strlen(skip[i]);

		/* Also the compiler's clones: capture_trace.constprop.0 */
		if (!strncmp(name, skip[i], n) && (!name[n] || name[n] == '.'))
			return true;
	}
	return false;
}

/*
 * Format the frames in @stack as a kernel call trace, one " fn+0xoff/0xsize"
 * line each, from the innermost frame to the task's entry (kthread).  The
 * return address points after the call, so resolve addr-1.
 */
size_t format_trace(void *const *stack, int depth, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	pthread_mutex_lock(&dwfl_lock);
	for (int i = 0; i < depth && used + 1 < len; i++) {
		unsigned long off = 0, size = 0;
		const char *name =
			symbolize((char *)stack[i] - (i ? 1 : 0), &off, &size);

		if (!name || is_exception_frame(name))
			continue;
		used += (size_t)snprintf(buf + used, len - used,
					 " %s+0x%lx/0x%lx\n", name, off + (i ? 1 : 0),
					 size);
		if (!strcmp(name, "kthread"))
			break;
	}
	pthread_mutex_unlock(&dwfl_lock);
	if (used >= len)
		used = len - 1;
	return used;
}

static int capture_trace(void **stack, int max)
{
	return backtrace(stack, max);
}

/* The function names of a trace, innermost first (for tests). */
static void trace_names(const char *trace, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (const char *p = trace; *p && used + 1 < len;) {
		const char *end = strchr(p, '+');
		const char *nl = strchr(p, '\n');

		if (!end || !nl)
			break;
		while (*p == ' ')
			p++;
		used += (size_t)snprintf(out + used, len - used, "%s%.*s",
					 used ? " " : "", (int)(end - p), p);
		p = nl + 1;
	}
}

__noreturn void __bug(const char *file, int line, const char *func)
{
	struct task_struct *t = current;
	void *stack[64];
	int depth = capture_trace(stack, 64);
	char trace[4096];
	char head[160];

	(void)func;
	format_trace(stack, depth, trace, sizeof(trace));
	snprintf(head, sizeof(head), "kernel BUG at %s:%d!", file, line);

	pthread_mutex_lock(&log_lock);
	int nr = ++oops.count;
	pthread_mutex_unlock(&log_lock);

	printk(KERN_EMERG "------------[ cut here ]------------\n");
	printk(KERN_EMERG "%s\n", head);
	printk(KERN_EMERG "invalid opcode: 0000 [#%d] SMP PTI\n", nr);
	printk(KERN_EMERG "CPU: 0 PID: %d Comm: %s Not tainted 4.18.0-pinmm #1\n",
	       t ? t->pid : 0, t ? t->comm : "?");
	printk(KERN_EMERG "Call Trace:\n%s", trace);
	printk(KERN_EMERG "---[ end trace ]---\n");

	pthread_mutex_lock(&log_lock);
	if (nr == 1) {
		snprintf(oops.line, sizeof(oops.line), "%s", head);
		snprintf(oops.comm, sizeof(oops.comm), "%s", t ? t->comm : "?");
		oops.pid = t ? t->pid : 0;
		snprintf(oops.trace, sizeof(oops.trace), "%s", trace);
		trace_names(trace, oops.functions, sizeof(oops.functions));
	}
	pthread_mutex_unlock(&log_lock);

	if (oops_notify)
		oops_notify();
	if (!t) {
		fprintf(stderr, "%s (outside any task)\n%s", head, trace);
		abort();
	}
	do_exit();
}

void __warn(const char *file, int line, const char *func, const char *fmt, ...)
{
	struct task_struct *t = current;
	void *stack[64];
	int depth = capture_trace(stack, 64);
	char trace[4096];
	char msg[128] = "";

	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	format_trace(stack, depth, trace, sizeof(trace));
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	if (msg[0])
		printk(KERN_WARNING "%s\n", msg);
	printk(KERN_WARNING "WARNING: CPU: 0 PID: %d at %s:%d %s\n",
	       t ? t->pid : 0, file, line, func);
	printk(KERN_WARNING "Call Trace:\n%s", trace);
	printk(KERN_WARNING "---[ end trace ]---\n");

	pthread_mutex_lock(&log_lock);
	if (!oops.warnings++) {
		snprintf(oops.warn_line, sizeof(oops.warn_line),
			 "WARNING: at %s:%d %s%s%s", file, line, func,
			 msg[0] ? ": " : "", msg);
		snprintf(oops.warn_trace, sizeof(oops.warn_trace), "%s", trace);
	}
	pthread_mutex_unlock(&log_lock);
}
