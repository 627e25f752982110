"""diff_common - helpers for the checks of `leakshim diff`: running it, and reading the
profile.proto it writes (gzipped) back into samples, without any protobuf library."""

import gzip
import subprocess

import cli_common as c
import lsharness as h


def diff(ctx, args, timeout=60):
    """Runs `leakshim diff ARGS` and returns the CompletedProcess, in text mode."""
    return subprocess.run([ctx.cli, "diff"] + list(args), env=c.clean_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout)


def check_ok(p, what):
    h.eq((p.returncode, p.stderr), (0, ""), "%s: status, stderr" % what)


def check_refused(p, needle, what):
    """Status 2, nothing on stdout, one `leakshim: ` line on stderr holding needle."""
    h.eq((p.returncode, p.stdout), (2, ""), "%s: status, stdout" % what)
    lines = p.stderr.splitlines()
    h.ok(len(lines) == 1 and lines[0].startswith("leakshim: ") and needle in lines[0],
         "%s: stderr %r should be one 'leakshim: ' line holding %r" % (what, p.stderr, needle))


def _varint(buf, i):
    v, shift = 0, 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7f) << shift
        shift += 7
        if b < 0x80:
            return v, i


def _fields(buf):
    """[(field number, value)] of one message: ints for varints, bytes for the rest."""
    out, i = [], 0
    while i < len(buf):
        tag, i = _varint(buf, i)
        wire = tag & 7
        if wire == 0:
            v, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            v, i = buf[i:i + n], i + n
        else:
            h.fail("wire type %d in a profile leakshim wrote" % wire)
        out.append((tag >> 3, v))
    return out


def _ints(v):
    """A repeated integer field, packed (bytes) or not (an int)."""
    if isinstance(v, int):
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = _varint(v, i)
        out.append(x)
    return out


def _signed(x):
    return x - (1 << 64) if x >= 1 << 63 else x


def read_pprof(path):
    """(sample types as [(type, unit)], default type, samples as [(functions innermost
    first, {type: value})]) of a gzipped profile.proto."""
    with open(path, "rb") as f:
        top = _fields(gzip.decompress(f.read()))
    strings = [v.decode() for n, v in top if n == 6]
    functions = {}
    for n, v in top:
        if n == 5:
            fn = dict(_fields(v))
            functions[fn[1]] = strings[fn.get(2, 0)]
    locations = {}
    for n, v in top:
        if n == 4:
            fields = _fields(v)
            lid = dict(fields)[1]
            lines = [dict(_fields(lv)) for k, lv in fields if k == 4]
            locations[lid] = [functions[ln[1]] for ln in lines]
    types = [(strings[dict(_fields(v)).get(1, 0)], strings[dict(_fields(v)).get(2, 0)])
             for n, v in top if n == 1]
    default = [strings[v] for n, v in top if n == 14]
    samples = []
    for n, v in top:
        if n == 2:
            ids, values = [], []
            for k, x in _fields(v):
                if k == 1:
                    ids += _ints(x)
                elif k == 2:
                    values += [_signed(y) for y in _ints(x)]
            names = [name for lid in ids for name in locations[lid]]
            samples.append((names, dict(zip([t for t, _ in types], values))))
    return types, default, samples
