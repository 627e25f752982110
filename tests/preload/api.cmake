# The public API (include/leakshim.h) and the report filters: leakshim_check(),
# leakshim_ignore(), leakshim_disable()/enable(), LEAKSHIM_SUPPRESSIONS, LEAKSHIM_MIN_BYTES,
# LEAKSHIM_BASELINE, LEAKSHIM_LEAK_KINDS / LEAKSHIM_SHOW_KINDS and classified snapshots.
# Included by CMakeLists.txt; the programs share proc_util.c (write(2), no stdio) and
# reach_common.c (stack scrubbing, so a scan sees only the pointers a program means).

foreach(prog api_check api_ignore)
    ls_test_program(${prog} ${prog}.c proc_util.c reach_common.c)
endforeach()

ls_preload_test(api_check_counts_no_report_minus_one_without_shim api_check.py
    PROGRAMS api_check TIMEOUT 90)

# api_leaks: leaks picked by its arguments, one in another source file, one in a library.
add_library(api_leaks_lib SHARED api_leaks_lib.c)
set_target_properties(api_leaks_lib PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
target_compile_options(api_leaks_lib PRIVATE -g -O1 -fno-inline -fno-builtin -Wall -Wextra)
ls_test_program(api_leaks api_leaks.c api_leaks_file.c proc_util.c reach_common.c)
target_link_libraries(api_leaks PRIVATE api_leaks_lib)

ls_preload_test(api_ignore_disable_ignored_not_leaked_other_threads_counted api_ignore.py
    PROGRAMS api_ignore TIMEOUT 90)
ls_preload_test(filter_suppressions_rules_counted_malformed_warned filter_suppressions.py
    PROGRAMS api_leaks TIMEOUT 90)
ls_preload_test(filter_min_bytes_groups_below_not_counted filter_min_bytes.py
    PROGRAMS api_leaks TIMEOUT 90)
ls_preload_test(filter_baseline_new_grown_gone filter_baseline.py PROGRAMS api_leaks TIMEOUT 90)
ls_preload_test(filter_kinds_leak_and_show_kinds filter_kinds.py
    PROGRAMS api_check api_leaks TIMEOUT 90)
ls_preload_test(api_snapshot_scan_all_classified api_snapshot.py PROGRAMS api_check TIMEOUT 90)
