# Attacks on the exit report: where exit() is called from, where the report goes. Included
# by CMakeLists.txt, which defines ls_test_program() and ls_preload_test(). Each test
# asserts the correct behaviour (what valgrind memcheck says, for kinds).

ls_test_program(exitatk_stack exitatk_stack.c reach_common.c)
ls_test_program(exitatk_chdir exitatk_chdir.c)

ls_preload_test(exitatk_exit_on_small_stack_or_sigaltstack exitatk_stack.py TIMEOUT 60)
ls_preload_test(exitatk_relative_output_percent_long_deleted_start_dir exitatk_output.py
    TIMEOUT 60)
