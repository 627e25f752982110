/* SPDX-License-Identifier: MIT
 *
 * fn_early.c - links fn_early_lib, whose constructor allocates before the shim's
 * constructor runs. Allocates nothing itself. No stdio.
 */
#include "fn_check.h"

int early_lib_ready(void);

int main(void)
{
    fn_expect(early_lib_ready(), "fn_early_lib's constructor did not allocate");
    return 0;
}
