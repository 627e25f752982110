#!/bin/sh
# The shim exports exactly the malloc family, the hooks it needs and the public API;
# everything else is hidden (a stray export could replace a program's own symbol).
set -eu
lib=$1
expected="aligned_alloc calloc dlclose exit free leakshim_disable_thread leakshim_enable_thread
leakshim_ignore_object leakshim_leak_check leakshim_write_report malloc malloc_usable_size
memalign posix_memalign pvalloc realloc reallocarray setns sigaction signal unshare valloc"
actual=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort | tr '\n' ' ')
want=$(echo $expected | tr ' ' '\n' | sort | tr '\n' ' ')
if [ "$actual" != "$want" ]; then
    echo "exports differ:"
    echo "  expected: $want"
    echo "  actual:   $actual"
    exit 1
fi
echo "check_exports: passed"
