/* SPDX-License-Identifier: MIT
 *
 * atk_pipe_status.c - leaks 21 bytes, prints one line, exits with status 4. Used where
 * only the program's own status and output matter (report to a closed pipe, odd paths).
 */
#include <stdlib.h>
#include <unistd.h>

void *atk_kept;

int main(void)
{
    atk_kept = malloc(21);
    if (write(STDOUT_FILENO, "line\n", 5) != 5)
        return 1;
    return 4;
}
