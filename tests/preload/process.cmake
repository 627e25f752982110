# Process behaviour under the shim: threads, fork, exec, dlopen, the snapshot signal,
# LEAKSHIM_EXITCODE, bad settings and report files. Included by CMakeLists.txt, which
# defines ls_test_program() and ls_preload_test(). Programs share proc_util.c, which
# writes with write(2) so that no stdio block shows up in the reports.

foreach(prog proc_threads proc_fork proc_fork_threads proc_exec proc_exec_target
        proc_dlopen proc_snapshot proc_storm proc_own_handler proc_exitcode proc_deep
        proc_output proc_api)
    ls_test_program(${prog} ${prog}.c proc_util.c)
endforeach()

# The plugin proc_dlopen loads and unloads; named proc_plugin.so, beside the programs.
add_library(proc_plugin SHARED proc_plugin.c)
set_target_properties(proc_plugin PROPERTIES PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
target_compile_options(proc_plugin PRIVATE -g -O1 -fno-inline -fno-optimize-sibling-calls
    -fno-builtin -Wall -Wextra)

ls_preload_test(proc_threads_churn_counts_exact proc_threads_churn.py
    PROGRAMS proc_threads TIMEOUT 120)
ls_preload_test(proc_fork_child_report_inherits_parent_blocks proc_fork.py
    PROGRAMS proc_fork)
ls_preload_test(proc_fork_while_threads_allocate_no_deadlock proc_fork_threads.py
    PROGRAMS proc_fork_threads TIMEOUT 120)
ls_preload_test(proc_exec_only_new_image_writes_exit_report proc_exec.py
    PROGRAMS proc_exec proc_exec_target)
ls_preload_test(proc_dlopen_unloaded_plugin_still_symbolized proc_dlopen.py
    PROGRAMS proc_dlopen)
ls_preload_test(proc_signal_snapshot_then_exit_report proc_signal_snapshot.py
    PROGRAMS proc_snapshot)
ls_preload_test(proc_signal_storm_no_deadlock_status_kept proc_signal_storm.py
    PROGRAMS proc_storm TIMEOUT 120)
ls_preload_test(proc_own_sigusr2_handler_still_runs proc_own_handler.py
    PROGRAMS proc_own_handler)
ls_preload_test(proc_exitcode_replaces_status_only_on_leak proc_exitcode.py
    PROGRAMS proc_exitcode)
ls_preload_test(proc_config_bad_value_warns_once_uses_default proc_config_bad.py
    PROGRAMS proc_deep proc_snapshot TIMEOUT 90)
ls_preload_test(proc_output_files_named_private_atomic proc_output_files.py
    PROGRAMS proc_output)
ls_preload_test(proc_api_request_report_now proc_api_request.py
    PROGRAMS proc_api)
