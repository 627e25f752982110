/* SPDX-License-Identifier: MIT
 *
 * reach_exit.c - the exiting thread's stack holds stale copies of pointers it dropped.
 *
 * "return": main builds a list of 10 nodes of 32 bytes, keeps its head in a table on
 * its own stack, walks it and returns. exit() is called from where main was called, so
 * the frames of exit() and its handler loop lie where main's table was, and do not write
 * every slot: the head's address is still there. memcheck skips those words as undefined
 * and reports the head definitely lost, the other nodes indirectly.
 *
 * "exit": a function that still holds a 48-byte block in a local calls exit(0): its frame
 * and main's are live, so the block and the list are still reachable, as memcheck says.
 *
 * "quick": main calls quick_exit(0), which runs no atexit handler and no destructor: the
 * report still comes, and main's table keeps the list reachable, as memcheck says.
 *
 * The stack is not scrubbed here, unlike the other reach_ programs: that is the point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    int value;
    char name[20];
};

__attribute__((noinline)) static struct node *make_node(struct node *next, int value)
{
    struct node *n = malloc(sizeof(*n));

    if (n == NULL)
        exit(3);
    n->next = next;
    n->value = value;
    snprintf(n->name, sizeof(n->name), "node %d", value);
    return n;
}

__attribute__((noinline)) static struct node *build_list(int count)
{
    struct node *head = NULL;

    for (int i = 0; i < count; i++)
        head = make_node(head, i);
    return head;
}

__attribute__((noinline)) static int walk_and_print(const struct node *list)
{
    int sum = 0;

    for (const struct node *p = list; p != NULL; p = p->next)
        sum += p->value;
    printf("sum %d of %s\n", sum, list->name);
    return sum;
}

__attribute__((noinline)) static void exit_holding_block(void)
{
    char *volatile held = malloc(48);

    if (held == NULL)
        exit(3);
    memset(held, 'x', 48);
    fflush(stdout);
    exit(0);
}

int main(int argc, char **argv)
{
    struct node *list = build_list(10);
    struct node *volatile table[32]; // as a program's local table of pointers would

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        table[i] = list;
    walk_and_print(table[31]);
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        exit_holding_block();
    if (argc > 1 && strcmp(argv[1], "quick") == 0)
        quick_exit(0);
    return 0;
}
