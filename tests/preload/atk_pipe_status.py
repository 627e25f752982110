"""The exit report goes to stderr, which is a pipe whose reader has gone (as in
`prog 2>&1 | head -1` after head exits). The program itself never writes to stderr, so
without leakshim it exits with its own status 4. The report's failed write must not
kill it with SIGPIPE: the status must stay 4 (the report is simply lost)."""

import os
import subprocess

import lsharness as h
import atk_util as a

ctx = h.context()
rd, wr = os.pipe()
os.close(rd)  # nobody will ever read: a write gets EPIPE and raises SIGPIPE
env = a.env_for(ctx, "-", fmt="text")
# restore_signals (the default) gives the child SIGPIPE's default action back.
proc = subprocess.run([ctx.prog("atk_pipe_status")], env=env, stdout=subprocess.PIPE,
                      stderr=wr, timeout=30)
os.close(wr)
h.eq(proc.stdout, b"line\n", "the program's stdout")
h.eq(a.status_text(proc.returncode), "exit 4", "status with the report going to a broken pipe")
h.done()
