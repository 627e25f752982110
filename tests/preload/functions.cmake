# functions.cmake - preload tests of each interposed function, glibc's edge cases, the C
# library's own allocating functions, C++, start-up, and output passthrough. Programs,
# scripts and tests are all named fn_*. Included by tests/preload/CMakeLists.txt.

# fn_case_test(NAME SCRIPT [TIMEOUT s]) registers preload/NAME running SCRIPT, which
# holds several checks and picks this one from FN_CASE, the test's own name.
function(fn_case_test name script)
    ls_preload_test(${name} ${script} ${ARGN})
    set_property(TEST preload/${name} APPEND PROPERTY ENVIRONMENT "FN_CASE=${name}")
endfunction()

# One program per interposed function, each leaking from leak_with_<function>.
foreach(fn malloc calloc realloc reallocarray posix_memalign aligned_alloc memalign valloc
        pvalloc usable_size)
    ls_test_program(fn_${fn} fn_${fn}.c)
    fn_case_test(fn_${fn} fn_functions.py)
endforeach()

ls_test_program(fn_realloc_edges fn_realloc_edges.c)
ls_test_program(fn_alloc_edges fn_alloc_edges.c)
foreach(name realloc_null_is_malloc realloc_zero_frees realloc_grow_one_block
        realloc_shrink_one_block realloc_fail_keeps_block calloc_overflow_records_nothing
        malloc_huge_records_nothing free_null_is_noop posix_memalign_einval_records_nothing
        aligned_results_aligned reallocarray_overflow_keeps_block malloc_zero_unique_block
        free_keeps_errno)
    fn_case_test(fn_${name} fn_edges.py)
endforeach()

ls_test_program(fn_libc_alloc fn_libc_alloc.c)
foreach(name strdup strndup asprintf getline fopen open_memstream realpath)
    fn_case_test(fn_libc_${name} fn_libc.py)
endforeach()

ls_test_program(fn_cxx fn_cxx.cpp)
fn_case_test(fn_cxx_new_leaks fn_cxx.py)
fn_case_test(fn_cxx_exception_clean fn_cxx.py)

# fn_early_lib's constructor allocates before the preloaded shim's constructor runs: the
# loader initializes it first because it comes later in the search list than the shim.
add_library(fn_early_lib SHARED fn_early_lib.c)
set_target_properties(fn_early_lib PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
target_compile_options(fn_early_lib PRIVATE -g -O1 -fno-inline -fno-optimize-sibling-calls
    -fno-builtin -Wall -Wextra)
ls_test_program(fn_early fn_early.c)
target_link_libraries(fn_early PRIVATE fn_early_lib)
ls_test_program(fn_ctor fn_ctor.c)
ls_test_program(fn_clean fn_clean.c)
foreach(name ctor_alloc_before_main early_lib_alloc_before_shim clean_program_no_leak
        clean_program_text_report untracked_frees_zero)
    fn_case_test(fn_${name} fn_startup.py)
endforeach()

ls_test_program(fn_passthrough fn_passthrough.c)
fn_case_test(fn_passthrough_output_unchanged fn_passthrough.py)
fn_case_test(fn_passthrough_report_to_stderr fn_passthrough.py)
ls_test_program(fn_longname fn_longname.cpp)
ls_preload_test(fn_text_frame_long_cxx_name_whole fn_longname.py)
