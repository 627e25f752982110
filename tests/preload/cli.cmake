# The `leakshim` command and the examples it is first shown with (examples/), run the
# way a user runs them. Included by CMakeLists.txt, which defines ls_preload_test(). The
# checks find the examples in bin/ beside the command; cli_common.py holds their helpers.

ls_preload_test(cli_leaky_c_reports_documented_leaks cli_leaky_c.py
    PROGRAMS leaky_c)
ls_preload_test(cli_leaky_cpp_reports_documented_leaks cli_leaky_cpp.py
    PROGRAMS leaky_cpp)
# Skipped (77) only when go is not installed; .ci/run installs golang-go.
ls_preload_test(cli_leaky_cgo_reports_c_heap_leaks cli_leaky_cgo.py
    PROGRAMS leaky_cgo)
set_tests_properties(preload/cli_leaky_cgo_reports_c_heap_leaks PROPERTIES
    SKIP_RETURN_CODE 77)
ls_preload_test(cli_usage_errors_and_exit_statuses cli_usage.py
    PROGRAMS leaky_c)
ls_preload_test(cli_default_output_files_in_cwd_same_pid cli_default_output.py
    PROGRAMS leaky_c)
ls_preload_test(cli_options_become_environment cli_environment.py
    PROGRAMS leaky_c)
ls_preload_test(cli_baseline_writes_known_leaks cli_baseline.py
    PROGRAMS leaky_c)
ls_preload_test(cli_leak_check_options_become_environment cli_leak_options.py
    PROGRAMS leaky_c)
