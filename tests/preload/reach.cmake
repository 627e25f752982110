# Reachability tests: each program leaves blocks where a scan must (or must not) find
# them, and its check script asserts the kinds valgrind memcheck gives the same program
# (definite, indirect, possible, reachable), block for block. Included by CMakeLists.txt.

foreach(prog reach_exit reach_list reach_thread_stack reach_tls reach_dlopen reach_interior reach_zero)
    ls_test_program(${prog} ${prog}.c reach_common.c)
endforeach()
ls_test_program(reach_cxx reach_cxx.cpp reach_common.c)
set_target_properties(reach_cxx PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)

# The same library built into two files: one stays loaded, the other is unloaded.
foreach(plugin keep drop)
    add_library(reach_plugin_${plugin} MODULE reach_plugin.c)
    set_target_properties(reach_plugin_${plugin} PROPERTIES PREFIX ""
        OUTPUT_NAME reach_plugin_${plugin} LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    target_compile_options(reach_plugin_${plugin} PRIVATE -g -O1 -fno-inline -fno-builtin
        -Wall -Wextra)
    add_dependencies(reach_dlopen reach_plugin_${plugin})
endforeach()

ls_preload_test(reach_list_head_definite_nodes_indirect reach_list.py TIMEOUT 60)
ls_preload_test(reach_zero_size_block_reachable reach_zero.py TIMEOUT 60)
ls_preload_test(reach_interior_pointer_possible_length64_reachable reach_interior.py
    TIMEOUT 60)
ls_preload_test(reach_cxx_heuristics_and_containers reach_cxx.py TIMEOUT 60)
ls_preload_test(reach_thread_stack_live_root_joined_not reach_thread_stack.py TIMEOUT 60)
ls_preload_test(reach_thread_joined_alone_definite reach_thread_joined.py TIMEOUT 60)
ls_preload_test(reach_tls_static_and_specific_reachable reach_tls.py TIMEOUT 60)
ls_preload_test(reach_dlopen_loaded_reachable_unloaded_definite reach_dlopen.py TIMEOUT 60)
ls_preload_test(reach_exit_stale_frames_not_roots_live_frames_are reach_exit.py TIMEOUT 60)
