# `leakshim diff`: two hand-written JSON reports compared exactly (ranking, new/gone, the
# three formats, usage errors), and the acceptance run: a program leaking 1 KiB an
# iteration among churn, under LEAKSHIM_INTERVAL, diffed as JSON and as pprof (checked
# with `go tool pprof` when go is installed), its timeline growing. Included by
# CMakeLists.txt, which defines ls_preload_test().

ls_preload_test(diff_reports_ranked_new_gone_formats diff_reports.py TIMEOUT 60)

ls_test_program(diff_grow diff_grow.c proc_util.c)
ls_preload_test(diff_interval_snapshots_grow_leak_first diff_grow.py
    PROGRAMS diff_grow TIMEOUT 120)
