# pprof.cmake - LEAKSHIM_FORMAT=pprof: gzipped profile.proto heap profiles, read back with
# `go tool pprof` (exact bytes and blocks per function, traces with file:line, kinds,
# comments, mappings, inlined calls, and -base between two snapshots). Skipped (77) when
# Go is not installed. Included by tests/preload/CMakeLists.txt.

ls_test_program(pprof_leaks pprof_leaks.c proc_util.c reach_common.c)

# pprof_case_test(NAME) registers preload/pprof_NAME running pprof_profile.py, which picks
# its check from FN_CASE, the test's own name.
function(pprof_case_test name)
    ls_preload_test(pprof_${name} pprof_profile.py TIMEOUT 120)
    set_property(TEST preload/pprof_${name} APPEND PROPERTY ENVIRONMENT "FN_CASE=pprof_${name}")
    set_tests_properties(preload/pprof_${name} PROPERTIES SKIP_RETURN_CODE 77)
endfunction()

pprof_case_test(inuse_space_and_objects_per_function)
pprof_case_test(alloc_space_counts_freed_blocks_once)
pprof_case_test(new_space_since_start_in_first_report)
pprof_case_test(traces_hold_call_chain_with_lines)
pprof_case_test(kind_labels_comments_sample_types)
pprof_case_test(mappings_name_files_with_build_ids)
pprof_case_test(inlined_calls_are_lines_of_one_location)

ls_preload_test(pprof_base_shows_growth_only pprof_base.py TIMEOUT 120)
set_tests_properties(preload/pprof_base_shows_growth_only PROPERTIES SKIP_RETURN_CODE 77)
