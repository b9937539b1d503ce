#!/usr/bin/python3
"""Time Samba's SDDL <-> binary security descriptor conversion.

Run with Debian's /usr/bin/python3 (python3-samba is installed there, not in
a pyenv/venv interpreter). Conditional ACEs need Samba >= 4.19; Debian 12
gets 4.22 from bookworm-backports (see scripts/bench-compare).

  samba-sddl-bench.py check  --domain SID SDDL
      Print Samba's self-relative bytes (ndr_pack) for SDDL as lowercase hex
      on one line. Exits 2 if Samba cannot parse the SDDL.

  samba-sddl-bench.py reparse --domain SID SDDL
      Like check, but then also re-encode as_sddl() of the result and fail
      (exit 3) unless it reparses to identical bytes. Prints the hex, then
      Samba's own SDDL rendering on a second line.

  samba-sddl-bench.py same HEX_A HEX_B
      Compare two self-relative descriptors as Samba decodes them. Prints
      "identical" (same bytes), "equivalent: ..." (same owner, group, control
      and ACE bytes, but a different layout of the parts and/or a different
      ACL revision, e.g. Windows' order SACL, DACL, owner, group and revision
      2 vs Samba's owner, group, SACL, DACL and revision 4) and exits 0, or
      "different: ..." and exits 1.

  samba-sddl-bench.py bench  --domain SID [--iterations N | --seconds S]
                             [--direction to-binary|from-binary|both]
                             [--input-hex] INPUT
      to-binary:   N x ndr_pack(security.descriptor.from_sddl(sddl, dom))
      from-binary: N x ndr_unpack(security.descriptor, blob).as_sddl(dom)
      INPUT is SDDL (the from-binary blob is Samba's ndr_pack of it), or with
      --input-hex the hex of a self-relative descriptor (from-binary only).
      Prints one JSON object, e.g.
        {"samba_version": "4.22.6-...", "to-binary": {"ops_per_sec": ...,
         "iterations": N, "seconds": ...}, "from-binary": {...}}
      With --seconds S (default 1.0 when --iterations is not given) the
      iteration count is calibrated so that each timed loop takes ~S seconds.

  samba-sddl-bench.py lines  --domain SID --direction to-binary|from-binary
                             [--cpu-time] FILE
      The loop scripts/bench-compare's whole-process suite sets beside `ntsec sddl
      to-binary|from-binary` on the same input: the lines of FILE (SDDL, or the
      hex of a self-relative descriptor for from-binary) are read into memory
      untimed, then one timed pass converts each (from-binary: bytes.fromhex,
      ndr_unpack, as_sddl). Prints {"ops_per_sec": ..., "lines": N, "seconds": ...};
      with --cpu-time the pass is timed by the thread's CPU clock.

The SDDL may also be given as @FILE to read it from a file (surrounding
whitespace is stripped).
"""

import argparse
import json
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent / "lib"))
from benchloop import measure  # noqa: E402

try:
    import samba
    from samba.dcerpc import security
    from samba.ndr import ndr_pack, ndr_unpack
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write(
        "samba-sddl-bench: cannot import samba (%s); run with /usr/bin/python3 "
        "and install python3-samba\n" % e)
    sys.exit(1)


def read_input(text):
    if text.startswith("@"):
        with open(text[1:], "r", encoding="utf-8") as f:
            return f.read().strip()
    return text.strip()


def parse_sddl(sddl, dom):
    try:
        return security.descriptor.from_sddl(sddl, dom)
    except Exception as e:  # samba raises ValueError / TypeError variants
        sys.stderr.write("samba-sddl-bench: Samba cannot parse SDDL: %s\n" % (e,))
        sys.exit(2)


def to_binary_once(sddl, dom):
    return ndr_pack(security.descriptor.from_sddl(sddl, dom))


def from_binary_once(blob, dom):
    return ndr_unpack(security.descriptor, blob).as_sddl(dom)


def _acl_aces(acl):
    return [] if acl is None else [ndr_pack(a) for a in acl.aces]


def compare_descriptors(blob_a, blob_b):
    """Return (status, details) with status identical/equivalent/different."""
    if blob_a == blob_b:
        return "identical", []
    a = ndr_unpack(security.descriptor, blob_a)
    b = ndr_unpack(security.descriptor, blob_b)
    diffs, notes = [], []
    for field in ("revision", "type"):
        if getattr(a, field) != getattr(b, field):
            diffs.append("%s %r != %r" % (field, getattr(a, field), getattr(b, field)))
    for field in ("owner_sid", "group_sid"):
        va, vb = getattr(a, field), getattr(b, field)
        if (None if va is None else str(va)) != (None if vb is None else str(vb)):
            diffs.append("%s %s != %s" % (field, va, vb))
    for name in ("sacl", "dacl"):
        la, lb = getattr(a, name), getattr(b, name)
        if (la is None) != (lb is None):
            diffs.append("%s present in only one" % name)
            continue
        if la is None:
            continue
        if la.revision != lb.revision:
            notes.append("%s revision %d vs %d" % (name, la.revision, lb.revision))
        aces_a, aces_b = _acl_aces(la), _acl_aces(lb)
        if len(aces_a) != len(aces_b):
            diffs.append("%s has %d vs %d ACEs" % (name, len(aces_a), len(aces_b)))
        for i, (x, y) in enumerate(zip(aces_a, aces_b)):
            if x != y:
                diffs.append("%s ACE %d: %s != %s" % (name, i, x.hex(), y.hex()))
    if diffs:
        return "different", diffs
    return "equivalent", ["layout/offsets differ"] + notes


def time_loop(fn, arg, dom, iterations):
    """Run fn(arg, dom) iterations times; return elapsed seconds."""
    clock = time.perf_counter
    start = clock()
    for _ in range(iterations):
        fn(arg, dom)
    return clock() - start


def lines_pass(path, direction, dom, cpu_time):
    """One timed pass of `direction` over the lines of `path`; returns the result dict."""
    with open(path, "r", encoding="utf-8") as f:
        lines = f.read().splitlines()
    clock = time.thread_time if cpu_time else time.perf_counter
    if direction == "to-binary":
        from_sddl = security.descriptor.from_sddl
        start = clock()
        for line in lines:
            ndr_pack(from_sddl(line, dom))
    else:
        descriptor = security.descriptor
        fromhex = bytes.fromhex
        start = clock()
        for line in lines:
            ndr_unpack(descriptor, fromhex(line)).as_sddl(dom)
    seconds = clock() - start
    return {"ops_per_sec": len(lines) / seconds if seconds > 0 else float("inf"),
            "lines": len(lines), "seconds": seconds}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)

    for name in ("check", "reparse"):
        c = sub.add_parser(name)
        c.add_argument("--domain", required=True)
        c.add_argument("sddl")

    c = sub.add_parser("same")
    c.add_argument("hex_a")
    c.add_argument("hex_b")

    b = sub.add_parser("bench")
    b.add_argument("--domain", required=True)
    b.add_argument("--iterations", type=int)
    b.add_argument("--seconds", type=float, default=1.0)
    b.add_argument("--direction", default="both",
                   choices=("to-binary", "from-binary", "both"))
    b.add_argument("--input-hex", action="store_true")
    b.add_argument("input")

    c = sub.add_parser("lines")
    c.add_argument("--domain", required=True)
    c.add_argument("--direction", required=True, choices=("to-binary", "from-binary"))
    c.add_argument("--cpu-time", action="store_true")
    c.add_argument("file")

    args = p.parse_args(argv)
    if args.mode == "lines":
        print(json.dumps(lines_pass(args.file, args.direction, security.dom_sid(args.domain),
                                    args.cpu_time)))
        return 0
    if args.mode == "same":
        try:
            status, details = compare_descriptors(
                bytes.fromhex(read_input(args.hex_a)), bytes.fromhex(read_input(args.hex_b)))
        except Exception as e:
            print("different: cannot decode: %s" % (e,))
            return 1
        print(status + (": " + "; ".join(details) if details else ""))
        return 1 if status == "different" else 0

    dom = security.dom_sid(args.domain)

    if args.mode in ("check", "reparse"):
        sddl = read_input(args.sddl)
        blob = ndr_pack(parse_sddl(sddl, dom))
        print(blob.hex())
        if args.mode == "reparse":
            text = from_binary_once(blob, dom)
            blob2 = ndr_pack(parse_sddl(text, dom))
            print(text)
            if blob2 != blob:
                sys.stderr.write("samba-sddl-bench: as_sddl() output does not "
                                 "reparse to identical bytes\n")
                return 3
        return 0

    if args.iterations is not None and args.iterations <= 0:
        p.error("--iterations must be positive")

    result = {"samba_version": samba.version}
    if args.input_hex:
        if args.direction != "from-binary":
            p.error("--input-hex only makes sense with --direction from-binary")
        blob = bytes.fromhex(read_input(args.input))
        sddl = None
        try:
            from_binary_once(blob, dom)
        except Exception as e:
            sys.stderr.write("samba-sddl-bench: Samba cannot decode blob: %s\n" % (e,))
            return 2
    else:
        sddl = read_input(args.input)
        blob = ndr_pack(parse_sddl(sddl, dom))

    if args.direction in ("to-binary", "both"):
        result["to-binary"] = measure(lambda n: time_loop(to_binary_once, sddl, dom, n),
                                      args.iterations, args.seconds)
    if args.direction in ("from-binary", "both"):
        result["from-binary"] = measure(lambda n: time_loop(from_binary_once, blob, dom, n),
                                        args.iterations, args.seconds)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
