/* SPDX-License-Identifier: MIT
 *
 * api_leaks.h - the leaks of api_leaks that live outside api_leaks.c: one in another
 * source file, one in a shared library, so suppressions can match a file and a module.
 */
#ifndef API_LEAKS_H
#define API_LEAKS_H

#include <stddef.h>

/* size zeroed bytes from malloc; exits with status 3 when there are none. */
void *api_zeroed(size_t size);

/* n blocks of 70 bytes, from api_leaks_file.c. */
void file_leak(int n);

/* n blocks of 50 bytes, from libapi_leaks_lib.so. */
void lib_leak(int n);

#endif
