# over_time.cmake - the output formats (folded, several in one run) and memory over time:
# what each snapshot gained since the previous one, LEAKSHIM_INTERVAL and the timeline.
# Included by tests/preload/CMakeLists.txt, which defines ls_preload_test().

ls_test_program(over_time over_time.c)

ls_preload_test(time_folded_exact_lines over_time_folded.py PROGRAMS over_time)
ls_preload_test(time_formats_one_run_one_file_each over_time_formats.py PROGRAMS over_time)
ls_preload_test(time_snapshot_new_since_previous over_time_delta.py PROGRAMS over_time)
ls_preload_test(time_interval_snapshots_and_timeline over_time_interval.py PROGRAMS over_time)
ls_preload_test(time_bad_values_warned_defaults_kept over_time_bad.py PROGRAMS over_time)
