# sample.cmake - LEAKSHIM_SAMPLE: estimates of a known leak within a stated bound, exact
# figures for blocks far above the rate, nothing left of freed blocks, every format marked.
# Included by tests/preload/CMakeLists.txt, which defines ls_preload_test().

ls_test_program(sample sample.c)

ls_preload_test(sample_estimates_within_bound sample_estimate.py PROGRAMS sample)
ls_preload_test(sample_formats_marked sample_formats.py PROGRAMS sample)
