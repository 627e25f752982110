/* SPDX-License-Identifier: MIT
 *
 * stopworld.c - stop the other threads with a signal whose handler parks them.
 *
 * Why a signal and not ptrace: it needs no privilege (Yama, containers) and no helper
 * process. The signal is a real-time one the program leaves at its default action; a
 * thread is signalled only when its mask lets the signal through (else the signal would
 * stay pending and, once we gave the default action back, kill the process). The handler
 * stays installed after the first stop, so a signal that lands late parks nothing and
 * kills nothing.
 *
 * Runs with the shim's table and arena locks held and other threads possibly inside
 * malloc: raw system calls only, no allocation, no stdio.
 */
#include "stopworld.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "real.h"

/* TODO: threads beyond this many are not stopped; their stacks are scanned unstopped. */
#define MAX_STOPPED  4096
#define STOP_WAIT_MS 500 // a thread in uninterruptible sleep stays running after this

static struct ls_stopped slots[MAX_STOPPED];
static size_t n_slots;
static struct ls_unstopped unstopped[MAX_STOPPED];
static size_t n_unstopped;
static atomic_uint stop_epoch;    /* odd while a stop is in progress */
static atomic_uint release_epoch; /* set to stop_epoch when threads may go */
static int stop_signal;           /* 0 until chosen */

static pid_t my_tid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static void futex_wait(atomic_uint *word, unsigned value)
{
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void futex_wake_all(atomic_uint *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0);
}

static struct ls_stopped *slot_of(pid_t tid)
{
    for (size_t i = 0; i < n_slots; i++) {
        if (slots[i].tid == tid)
            return &slots[i];
    }
    return NULL;
}

static void save_regs(struct ls_stopped *s, const ucontext_t *uc)
{
    static const int which[LS_STOP_REGS] = {
        REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
        REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
    };

    for (int i = 0; i < LS_STOP_REGS; i++)
        s->regs[i] = (uintptr_t)uc->uc_mcontext.gregs[which[i]];
    s->sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    s->tp = ls_stopworld_self_tp();
}

uintptr_t ls_stopworld_self_tp(void)
{
    uintptr_t tp;

    __asm__("mov %%fs:0, %0" : "=r"(tp)); // glibc keeps the descriptor's address there
    return tp;
}

static void on_stop(int sig, siginfo_t *si, void *ctx)
{
    int err = errno;
    unsigned epoch = atomic_load(&stop_epoch);

    (void)sig;
    if (si->si_code == SI_TKILL && si->si_pid == getpid() && (epoch & 1)) {
        struct ls_stopped *s = slot_of(my_tid());
        if (s != NULL && atomic_load((atomic_int *)&s->state) == LS_STOP_SENT) {
            save_regs(s, ctx);
            atomic_store((atomic_int *)&s->state, LS_STOP_PARKED);
            unsigned r;
            while ((r = atomic_load(&release_epoch)) != epoch)
                futex_wait(&release_epoch, r);
            atomic_store((atomic_int *)&s->state, LS_STOP_LEFT);
        }
    }
    errno = err;
}

/* A real-time signal the program leaves at its default action (or ours from before). */
static int choose_signal(void)
{
    struct sigaction old, sa;

    for (int sig = SIGRTMAX; sig > SIGRTMIN + 2; sig--) {
        if (ls_real.sigaction(sig, NULL, &old) != 0)
            continue;
        if (old.sa_sigaction == on_stop && (old.sa_flags & SA_SIGINFO))
            return sig;
        if (old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = on_stop;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigfillset(&sa.sa_mask);
        if (ls_real.sigaction(sig, &sa, NULL) == 0)
            return sig;
    }
    return 0;
}

/* Whether tid's signal mask blocks sig, from /proc (no allocation). */
static bool blocks_signal(pid_t tid, int sig)
{
    char path[64], buf[4096];
    int len = 0;

    // Built by hand: snprintf may allocate for some formats, and must not here.
    memcpy(path, "/proc/self/task/", 16);
    len = 16;
    char digits[16];
    int nd = 0;
    for (pid_t t = tid; t > 0; t /= 10)
        digits[nd++] = (char)('0' + t % 10);
    while (nd > 0)
        path[len++] = digits[--nd];
    memcpy(path + len, "/status", 8);

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    const char *p = strstr(buf, "SigBlk:");
    if (p == NULL)
        return false;
    p += 7;
    while (*p == ' ' || *p == '\t')
        p++;
    unsigned long long mask = 0;
    for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
        mask = mask * 16 + (unsigned)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
    return (mask >> (sig - 1)) & 1;
}

/* A thread that just left our handler still blocks every signal until its sigreturn:
 * give it a moment before counting it as unstoppable. */
static bool keeps_blocking(pid_t tid, int sig)
{
    for (int i = 0; i < 4; i++) {
        if (!blocks_signal(tid, sig))
            return false;
        sched_yield();
    }
    return true;
}

static bool is_skipped(pid_t tid, const pid_t *skip, size_t n_skip)
{
    for (size_t i = 0; i < n_skip; i++) {
        if (skip[i] == tid)
            return true;
    }
    return false;
}

/* The stack pointer of a thread blocked in a system call, from the last but one field of
 * /proc/self/task/TID/syscall ("NR args... sp pc"), in *sp. Returns 1 with it, 0 while the
 * thread is runnable ("running"), -1 when the file cannot be read. */
static int blocked_sp(pid_t tid, uintptr_t *sp)
{
    char path[64], buf[256];

    snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *fields[9], *save = NULL;
    int k = 0;
    for (char *t = strtok_r(buf, " \n", &save); t != NULL && k < 9;
         t = strtok_r(NULL, " \n", &save))
        fields[k++] = t;
    if (k >= 1 && strcmp(fields[0], "running") == 0)
        return 0;
    if (k < 3)
        return -1;
    *sp = (uintptr_t)strtoull(fields[k - 2], NULL, 16);
    return 1;
}

#define RUNNABLE_WAIT_MS 20 // for all threads together, per stop

static long now_ms(void);

/* A thread left running: its stack pointer once it blocks. A thread that is runnable
 * (busy, or just preempted on a loaded machine) is looked at again for a little while:
 * an idle thread, as most are at exit, soon waits in a system call. */
static void note_unstopped(pid_t tid)
{
    static long deadline;
    uintptr_t sp = 0;
    int got;

    for (size_t i = 0; i < n_unstopped && i < MAX_STOPPED; i++) {
        if (unstopped[i].tid == tid) // met again in a later round
            return;
    }
    if (n_unstopped == 0)
        deadline = now_ms() + RUNNABLE_WAIT_MS;
    while ((got = blocked_sp(tid, &sp)) == 0 && now_ms() < deadline)
        nanosleep(&(struct timespec){0, 200000}, NULL);
    if (n_unstopped < MAX_STOPPED)
        unstopped[n_unstopped] = (struct ls_unstopped){tid, got == 1 ? sp : 0};
    n_unstopped++; // counted even past the table: it is threads_not_stopped
}

const struct ls_unstopped *ls_stopworld_unstopped(size_t *n)
{
    *n = n_unstopped < MAX_STOPPED ? n_unstopped : MAX_STOPPED;
    return unstopped;
}

/* Signals every thread not yet known; returns how many were newly signalled. Without a
 * stop signal, only notes them as left running. */
static size_t signal_new_threads(const pid_t *skip, size_t n_skip)
{
    char buf[4096];
    size_t added = 0;
    pid_t self = my_tid(), pid = getpid();

    int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            off += d->d_reclen;
            pid_t tid = 0;
            for (const char *c = d->d_name; *c >= '0' && *c <= '9'; c++)
                tid = tid * 10 + (*c - '0');
            if (tid <= 0 || tid == self || is_skipped(tid, skip, n_skip) || slot_of(tid))
                continue;
            if (stop_signal == 0 || n_slots == MAX_STOPPED || keeps_blocking(tid, stop_signal)) {
                note_unstopped(tid);
                continue;
            }
            struct ls_stopped *s = &slots[n_slots++];
            memset(s, 0, sizeof(*s));
            s->tid = tid;
            atomic_store((atomic_int *)&s->state, LS_STOP_SENT);
            if (syscall(SYS_tgkill, pid, tid, stop_signal) != 0)
                atomic_store((atomic_int *)&s->state, LS_STOP_GONE);
            added++;
        }
    }
    close(fd);
    return added;
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until every signalled thread parked (or is gone), up to the bound. */
static void wait_parked(long deadline)
{
    for (;;) {
        bool all = true;
        for (size_t i = 0; i < n_slots && all; i++)
            all = atomic_load((atomic_int *)&slots[i].state) != LS_STOP_SENT;
        if (all || now_ms() > deadline)
            return;
        sched_yield();
    }
}

size_t ls_stopworld_stop(const pid_t *skip, size_t n_skip, struct ls_stopped **out,
                         size_t *n_missed)
{
    n_slots = 0;
    n_unstopped = 0;
    *out = slots;
    if (stop_signal == 0 || choose_signal() != stop_signal)
        stop_signal = choose_signal();
    if (stop_signal == 0) { // every real-time signal is the program's: stop nobody
        signal_new_threads(skip, n_skip);
        *n_missed = n_unstopped;
        return 0;
    }
    atomic_fetch_add(&stop_epoch, 1); // odd: stopping
    long deadline = now_ms() + STOP_WAIT_MS;
    // A thread may start another before it parks: look again until no new one appears.
    for (int round = 0; round < 100 && signal_new_threads(skip, n_skip) > 0; round++)
        wait_parked(deadline);

    for (size_t i = 0; i < n_slots; i++) {
        if (atomic_load((atomic_int *)&slots[i].state) == LS_STOP_SENT)
            note_unstopped(slots[i].tid);
    }
    *n_missed = n_unstopped;
    return n_slots;
}

void ls_stopworld_resume(void)
{
    atomic_store(&release_epoch, atomic_load(&stop_epoch));
    futex_wake_all(&release_epoch);
    atomic_fetch_add(&stop_epoch, 1); // even: late handlers return at once

    long deadline = now_ms() + STOP_WAIT_MS;
    for (size_t i = 0; i < n_slots; i++) {
        while (atomic_load((atomic_int *)&slots[i].state) == LS_STOP_PARKED && now_ms() <= deadline)
            sched_yield();
    }
}
