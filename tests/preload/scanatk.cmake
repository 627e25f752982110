# Attacks on the exit-time leak scan: programs that make stopping the world or reading
# the roots hard (threads busy in malloc or unstoppable, real-time signals all taken,
# vfork in flight, unreadable pages inside blocks, concurrent checks...). Each check
# script asserts exact kinds, bytes, blocks and exit statuses. Included by CMakeLists.txt.

foreach(prog scanatk_churn scanatk_blocked scanatk_rtsig scanatk_spawn scanatk_mprotect
    scanatk_check scanatk_hooks scanatk_hidden scanatk_threads)
    ls_test_program(${prog} ${prog}.c scanatk_common.c reach_common.c)
endforeach()

ls_preload_test(scanatk_exit_while_threads_churn_malloc scanatk_churn.py TIMEOUT 60)
ls_preload_test(scanatk_unstoppable_thread_stack_scanned_whole_no_crash scanatk_blocked.py
    TIMEOUT 60)
ls_preload_test(scanatk_program_owns_every_rt_signal scanatk_rtsig.py TIMEOUT 60)
ls_preload_test(scanatk_exit_during_vfork_and_posix_spawn scanatk_spawn.py TIMEOUT 60)
ls_preload_test(scanatk_prot_none_pages_in_blocks_no_crash scanatk_mprotect.py TIMEOUT 60)
ls_preload_test(scanatk_concurrent_checks_consistent scanatk_check.py TIMEOUT 60)
ls_preload_test(scanatk_check_from_atexit_dtor_and_exit_in_handler scanatk_hooks.py TIMEOUT 60)
ls_preload_test(scanatk_xor_hidden_definite_register_only_reachable scanatk_hidden.py
    TIMEOUT 60)
ls_preload_test(scanatk_200_threads_and_fork_during_exit scanatk_threads.py TIMEOUT 60)
