#!/usr/bin/python3
"""Inputs and timing for scripts/bench-compare's whole-process suite (no Samba needed).

  wholeprocess.py repeat FILE N OUT
      OUT holds N lines, each the text of FILE (surrounding whitespace stripped).

  wholeprocess.py batch DOMAIN CASES INPUTS N OUT EXPECTED
      OUT holds N `ntsec access-check --batch` request lines cycling through the cases of
      CASES (Benchmarks/inputs/access-check/cases.txt; descriptor and token files relative to
      INPUTS), one JSON object a line; EXPECTED the result line each must give. A batch line
      has no domain: domain-relative SID aliases (DU, DA, ...) are written as DOMAIN's SIDs.

  wholeprocess.py run [--cpu-time] LINES INPUT OUTPUT -- COMMAND...
      Runs COMMAND once with standard input from INPUT and standard output to OUTPUT, and prints
      one JSON object {"seconds": S, "ops_per_sec": LINES / S}: S is the wall-clock time of the
      whole process (start, reading, work, writing, exit), or with --cpu-time its user + system
      CPU time. Exits 1 if COMMAND fails with a status other than 0 or 1.
"""

import json
import os
import re
import subprocess
import sys
import time


def repeat(path, n, out):
    with open(path, "r", encoding="utf-8") as f:
        line = f.read().strip()
    with open(out, "w", encoding="utf-8") as f:
        f.write((line + "\n") * n)


# MS-DTYP 2.5.1.1: the SDDL aliases of a domain's well-known RIDs.
DOMAIN_ALIASES = {"LA": 500, "LG": 501, "DA": 512, "DU": 513, "DG": 514, "DC": 515, "DD": 516,
                  "CA": 517, "SA": 518, "EA": 519, "PA": 520, "RO": 498, "RS": 553, "AP": 525,
                  "CN": 522, "KA": 526, "EK": 527}


def resolve_domain_aliases(sddl, domain):
    """`sddl` with the domain-relative aliases in owner, group and ACE SID places spelled out."""
    def sid(alias):
        return "%s-%d" % (domain, DOMAIN_ALIASES[alias]) if alias in DOMAIN_ALIASES else alias
    def ace(m):
        fields = m.group(1).split(";")
        if len(fields) >= 6:
            fields[5] = sid(fields[5])
        return "(" + ";".join(fields) + ")"
    sddl = re.sub(r"([OG]:)([A-Z]{2})(?=[A-Z]:|$)", lambda m: m.group(1) + sid(m.group(2)), sddl)
    return re.sub(r"\(([^()]*)\)", ace, sddl)


def batch(domain, cases_path, inputs, n, out, expected):
    cases = []
    with open(cases_path, "r", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            _name, sd_file, token_file, desired, granted, status = fields
            with open(os.path.join(inputs, sd_file), "r", encoding="utf-8") as s:
                sddl = resolve_domain_aliases(s.read().strip(), domain)
            with open(os.path.join(inputs, token_file), "r", encoding="utf-8") as t:
                token = json.load(t)
            request = json.dumps({"sd": sddl, "token": token, "desired": int(desired, 0)})
            result = json.dumps({"granted": "0x%x" % int(granted, 0), "status": status})
            cases.append((request, result))
    if not cases:
        sys.exit("wholeprocess: no cases in %s" % cases_path)
    with open(out, "w", encoding="utf-8") as f, open(expected, "w", encoding="utf-8") as e:
        for i in range(n):
            request, result = cases[i % len(cases)]
            f.write(request + "\n")
            e.write(result + "\n")


def run(args):
    cpu = False
    if args and args[0] == "--cpu-time":
        cpu = True
        args = args[1:]
    lines, source, sink = int(args[0]), args[1], args[2]
    if args[3] != "--":
        sys.exit("wholeprocess run: expected -- before the command")
    command = args[4:]
    with open(source, "rb") as stdin, open(sink, "wb") as stdout:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=stdin, stdout=stdout)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("wholeprocess run: %s exited with %d" % (command[0], code))
    seconds = usage.ru_utime + usage.ru_stime if cpu else wall
    print(json.dumps({"seconds": seconds, "ops_per_sec": lines / seconds if seconds > 0 else float("inf")}))


def main(argv):
    if not argv:
        sys.exit(__doc__)
    mode, rest = argv[0], argv[1:]
    if mode == "repeat":
        repeat(rest[0], int(rest[1]), rest[2])
    elif mode == "batch":
        batch(rest[0], rest[1], rest[2], int(rest[3]), rest[4], rest[5])
    elif mode == "run":
        run(rest)
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
