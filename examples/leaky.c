/* SPDX-License-Identifier: MIT
 *
 * leaky.c - a tiny inventory "service" with three leaks of the kinds real services have;
 * the first thing to run under leakshim:
 *
 *     build/bin/leakshim build/bin/leaky_c
 *
 * It answers the 12 requests in `requests` (10 valid, 7 distinct items, 2 malformed),
 * prints one line and exits 0. Everything else it allocates is freed, so 978 bytes in 10
 * blocks are live at exit (x86_64, glibc), and the exit report classifies them the way
 * valgrind memcheck does (valgrind --leak-check=full --show-leak-kinds=all agrees):
 *
 *   512 bytes in 2 blocks definitely lost  read_request <- handle_request <- main
 *       error path: a malformed request returns before its 256-byte buffer is freed; the
 *       only pointer was handle_request's local `buf`, gone once it returns.
 *    18 bytes in 1 block  definitely lost  strdup <- load_config <- main
 *       the service name, strdup'ed ("inventory-service") and never freed; main's local
 *       `cfg` held it, and main has returned when the exit report is made.
 *   448 bytes in 7 blocks still reachable  cache_insert <- cache_get <- handle_request
 *       a cache that never evicts: one 64-byte entry per distinct item, kept forever. The
 *       static `cache_head` points to the newest entry and each entry to the next, so
 *       every entry can still be reached (and freed): not a leak, and not listed unless
 *       LEAKSHIM_SHOW_KINDS=all (`leakshim --show-kinds all`).
 *
 * So the report lists 530 bytes in 3 blocks leaked from 2 stacks, and
 * LEAKSHIM_EXITCODE (`leakshim -e N`) fires on them.
 *
 * Functions have external linkage so that -O1 does not inline them into main (GCC
 * inlines static functions that have one caller) and the report can name them.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUEST_BUF_BYTES 256
#define SERVICE_NAME      "inventory-service"

struct cache_entry {
    struct cache_entry *next;
    char item[48];
    unsigned int stock;
    unsigned int hits;
};

_Static_assert(sizeof(struct cache_entry) == 64, "leaky.c documents 64-byte cache entries");

struct config {
    char *name;
    unsigned int max_items;
};

struct request {
    char verb[8];
    char item[48];
};

static struct cache_entry *cache_head;

static const char *const requests[] = {
    "GET apples", "GET pears", "GET apples", "GET plums", "PUT",       "GET figs",
    "GET limes",  "GET pears", "???",        "GET kiwis", "GET mango", "GET figs",
};

void load_config(struct config *cfg)
{
    cfg->name = strdup(SERVICE_NAME);
    cfg->max_items = 64;
}

/* Copies a raw request into a buffer the caller owns. */
char *read_request(const char *raw)
{
    char *buf = malloc(REQUEST_BUF_BYTES);

    if (buf == NULL)
        return NULL;
    snprintf(buf, REQUEST_BUF_BYTES, "%s", raw);
    return buf;
}

int parse_request(const char *buf, struct request *req)
{
    return sscanf(buf, "%7s %47s", req->verb, req->item) == 2 ? 0 : -1;
}

struct cache_entry *cache_insert(const char *item)
{
    struct cache_entry *e = calloc(1, sizeof(*e));

    if (e == NULL)
        return NULL;
    snprintf(e->item, sizeof(e->item), "%s", item);
    e->stock = (unsigned int)strlen(item) * 10;
    e->next = cache_head;
    cache_head = e;
    return e;
}

struct cache_entry *cache_get(const char *item)
{
    for (struct cache_entry *e = cache_head; e != NULL; e = e->next) {
        if (strcmp(e->item, item) == 0)
            return e;
    }
    return cache_insert(item);
}

/* Returns the stock of the requested item, or -1 for a malformed request. */
int handle_request(const char *raw)
{
    char *buf = read_request(raw);
    struct request req;
    struct cache_entry *e;

    if (buf == NULL || parse_request(buf, &req) != 0)
        return -1; /* the leak: buf is not freed on this path */

    e = cache_get(req.item);
    free(buf);
    if (e == NULL)
        return -1;
    e->hits++;
    return (int)e->stock;
}

int main(void)
{
    struct config cfg;
    size_t n = sizeof(requests) / sizeof(requests[0]);
    int served = 0, rejected = 0;
    long stock = 0;

    load_config(&cfg);
    for (size_t i = 0; i < n; i++) {
        int r = handle_request(requests[i]);

        if (r < 0) {
            rejected++;
        } else {
            served++;
            stock += r;
        }
    }
    printf("%s: served %d requests, rejected %d, total stock %ld\n", cfg.name, served, rejected,
           stock);
    return 0;
}
