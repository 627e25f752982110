# inline.cmake - frames for calls the compiler inlined: a program built with -O2 whose
# leak goes through two always_inline functions must show each as a frame of its own, in
# the JSON and text reports, for suppressions and for baseline keys, as valgrind does.
# Included by tests/preload/CMakeLists.txt, which defines ls_preload_test().

# Not ls_test_program(): that one builds with -fno-inline, and inlining is the point.
add_executable(inline_chain inline_chain.c)
set_target_properties(inline_chain PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
target_compile_options(inline_chain PRIVATE -g -O2 -Wall -Wextra)

# inline_case_test(NAME) registers preload/inline_NAME running inline_chain.py, which
# picks its check from FN_CASE, the test's own name (fn_common.case()).
function(inline_case_test name)
    ls_preload_test(inline_${name} inline_chain.py ${ARGN})
    set_property(TEST preload/inline_${name} APPEND PROPERTY ENVIRONMENT "FN_CASE=inline_${name}")
endfunction()

inline_case_test(json_frames_innermost_first)
inline_case_test(text_frames_numbered_per_call)
inline_case_test(suppression_matches_inlined_name)
inline_case_test(baseline_key_holds_inlined_names)
# Skipped (77) when valgrind is not installed.
inline_case_test(same_frames_as_valgrind TIMEOUT 120)
set_tests_properties(preload/inline_same_frames_as_valgrind PROPERTIES SKIP_RETURN_CODE 77)
