#!/usr/bin/env python3
"""python-gssapi's side of scripts/bench-compare's GSSAPI section (gssapi.raw, the low-level API).

    python-gss-bench.py OP SECONDS     OP: wrap16k | wrap64 | getmic | context

Same operations, flags and loop shape as Benchmarks/gssapi-c/gss-bench.c. Prints ops_per_sec=N.
"""
import sys
import time

import gssapi.raw as gb

FLAGS = [gb.RequirementFlag.mutual_authentication, gb.RequirementFlag.confidentiality,
         gb.RequirementFlag.integrity]
KRB5 = gb.OID.from_int_seq("1.2.840.113554.1.2.2")
TARGET = gb.import_name(b"host@localhost", gb.NameType.hostbased_service)


def establish():
    first = gb.init_sec_context(TARGET, mech=KRB5, flags=FLAGS)
    accepted = gb.accept_sec_context(first.token)
    second = gb.init_sec_context(TARGET, context=first.context, mech=KRB5, flags=FLAGS,
                                 input_token=accepted.token)
    return second.context, accepted.context


def main():
    op, seconds = sys.argv[1], float(sys.argv[2])
    ic, ac = establish()
    message = b"\x5a" * (16384 if op == "wrap16k" else 64)
    ops = 0
    start = time.process_time()  # CPU time: fair on a shared, loaded machine
    elapsed = 0.0
    while elapsed < seconds:
        for i in range(64):
            if op == "context":
                a, b = establish()
                gb.delete_sec_context(a)
                gb.delete_sec_context(b)
                if i == 7:
                    ops += 1
                    break
            elif op == "getmic":
                gb.get_mic(ic, message)
            elif op.startswith("wrap"):
                wrapped = gb.wrap(ic, message, True)
                plain = gb.unwrap(ac, wrapped.message)
                if len(plain.message) != len(message):
                    sys.exit("unwrap length")
            else:
                sys.exit(f"unknown operation {op}")
            ops += 1
        elapsed = time.process_time() - start
    print(f"ops_per_sec={ops / elapsed:.1f}")


if __name__ == "__main__":
    main()
