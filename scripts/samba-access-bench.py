#!/usr/bin/python3
"""Time Samba's access check (samba.security.access_check, i.e. se_access_check).

Run with Debian's /usr/bin/python3 (python3-samba is installed there; see
scripts/bench-compare, which sets up the bookworm-backports 4.22 build).

  samba-access-bench.py check --domain SID SDDL TOKEN DESIRED
      One access check; prints one JSON line in the shape of
      `ntsec access-check --batch` output:
        {"granted": "0x120089", "status": "ERROR_SUCCESS"}
      (granted is 0x0 when access is denied, as Windows reports it).

  samba-access-bench.py bench --domain SID [--iterations N | --seconds S]
                              SDDL TOKEN DESIRED
      N x samba.security.access_check(sd, token, desired) on a descriptor and
      a token built once (untimed). A denied check raises NTSTATUSError in
      Samba; the timed loop catches it, so the exception is part of the cost.
      Prints one JSON object:
        {"samba_version": "...", "ops_per_sec": ..., "iterations": N,
         "seconds": ..., "granted": "0x...", "status": "ERROR_..."}
      With --seconds S (default 1.0 when --iterations is not given) the
      iteration count is calibrated so that the timed loop takes ~S seconds.
      With --cpu-time the loop is timed by the thread's CPU clock
      (time.thread_time) instead of the wall clock (time.perf_counter).

  samba-access-bench.py lines --domain SID [--cpu-time] [--expect FILE] BATCH
      The loop scripts/bench-compare's whole-process suite sets beside `ntsec
      access-check --batch` on the same input: the request lines of BATCH
      (one JSON object each: "sd", "token" as an object, numeric "desired")
      are read, and their descriptors and tokens built (each distinct one
      once), untimed; then one timed pass runs every check. With --expect,
      each check's result must equal that file's line (exit 3 otherwise).
      Prints {"ops_per_sec": ..., "lines": N, "seconds": ...}.

SDDL may be @FILE (surrounding whitespace is stripped). TOKEN is a token JSON
file in the format of docs/token-format.md; DESIRED is decimal or 0x-hex.

Samba's tokens are a flat list of SIDs (the user first) plus a privilege bit
mask: groups without "enabled" are left out (Windows never matches them
either), enabled privileges that Samba knows become privilege_mask bits, and
anything Samba cannot express (deny-only SIDs, restricting SIDs, claims,
device groups, unknown privileges) is an error (exit 2) rather than a silently
different check. Samba has no mandatory integrity check: the descriptors used
here carry no label, so Windows' check (unlabeled = Medium, token Medium by
default) changes nothing.
"""

import argparse
import json
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent / "lib"))
from benchloop import measure  # noqa: E402

try:
    import samba
    from samba import NTSTATUSError
    from samba import security as samba_security
    from samba.dcerpc import security
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write(
        "samba-access-bench: cannot import samba (%s); run with /usr/bin/python3 "
        "and install python3-samba\n" % e)
    sys.exit(1)

# NTSTATUS -> the Windows error name `ntsec access-check` prints.
STATUS_NAMES = {
    0xC0000022: "ERROR_ACCESS_DENIED",
    0xC0000061: "ERROR_PRIVILEGE_NOT_HELD",
    0xC0000079: "ERROR_INVALID_SECURITY_DESCR",
}

# Windows privilege names Samba's privilege_mask can carry.
PRIVILEGE_BITS = {
    "SeSecurityPrivilege": security.SEC_PRIV_SECURITY_BIT,
    "SeTakeOwnershipPrivilege": security.SEC_PRIV_TAKE_OWNERSHIP_BIT,
    "SeBackupPrivilege": security.SEC_PRIV_BACKUP_BIT,
    "SeRestorePrivilege": security.SEC_PRIV_RESTORE_BIT,
    "SeChangeNotifyPrivilege": security.SEC_PRIV_CHANGE_NOTIFY_BIT,
    "SeShutdownPrivilege": security.SEC_PRIV_SHUTDOWN_BIT,
    "SeRemoteShutdownPrivilege": security.SEC_PRIV_REMOTE_SHUTDOWN_BIT,
    "SeDebugPrivilege": security.SEC_PRIV_DEBUG_BIT,
    "SeSystemtimePrivilege": security.SEC_PRIV_SYSTEMTIME_BIT,
    "SeImpersonatePrivilege": security.SEC_PRIV_IMPERSONATE_BIT,
    "SeCreateGlobalPrivilege": security.SEC_PRIV_CREATE_GLOBAL_BIT,
    "SeMachineAccountPrivilege": security.SEC_PRIV_MACHINE_ACCOUNT_BIT,
    "SeLoadDriverPrivilege": security.SEC_PRIV_LOAD_DRIVER_BIT,
}

# Token JSON keys Samba can follow, and the values of the others that mean
# "nothing to model" (Windows' defaults).
IGNORABLE = {
    "integrity_level": (None, "S-1-16-8192"),
    "mandatory_policy": (None, ["no_write_up"]),
    "type": (None, "primary", "impersonation"),
    "impersonation_level": (None, "anonymous", "identification", "impersonation", "delegation"),
    "owner": None, "primary_group": None,  # not used by an access check
    "restricted_sids": (None, []),
    "write_restricted": (None, False),
    "sandbox_inert": (None, False),
    "lua_token": (None, False),
    "user_claims": (None, []),
    "device_claims": (None, []),
    "device_groups": (None, []),
}


class Unsupported(Exception):
    pass


def read_text(text):
    if text.startswith("@"):
        with open(text[1:], "r", encoding="utf-8") as f:
            return f.read().strip()
    return text.strip()


def load_token(path):
    """Build a Samba security_token from a token JSON file."""
    with open(path, "r", encoding="utf-8") as f:
        return make_token(json.load(f))


def make_token(doc):
    """Build a Samba security_token from a parsed token JSON object."""
    for key, value in doc.items():
        if key in ("user", "groups", "privileges", "user_attributes"):
            continue
        if key not in IGNORABLE:
            raise Unsupported("unknown token key %r" % key)
        allowed = IGNORABLE[key]
        if allowed is not None and value not in allowed:
            raise Unsupported("Samba cannot express %s = %r" % (key, value))
    if "use_for_deny_only" in doc.get("user_attributes", []):
        raise Unsupported("Samba cannot express a deny-only user SID")
    sids = [security.dom_sid(doc["user"])]
    for g in doc.get("groups", []):
        attributes = g.get("attributes", [])
        if "use_for_deny_only" in attributes:
            raise Unsupported("Samba cannot express the deny-only group %s" % g["sid"])
        if "enabled" in attributes:
            sids.append(security.dom_sid(g["sid"]))
    mask = 0
    for p in doc.get("privileges", []):
        if "enabled" not in p.get("attributes", []):
            continue
        if p["name"] not in PRIVILEGE_BITS:
            raise Unsupported("Samba has no privilege bit for %s" % p["name"])
        mask |= PRIVILEGE_BITS[p["name"]]
    token = security.token()
    token.sids = sids
    token.num_sids = len(sids)  # pidl does not set the count from the list
    token.privilege_mask = mask
    return token


def check_once(sd, token, desired):
    """Return (granted, status name) as Windows reports them."""
    try:
        return samba_security.access_check(sd, token, desired), "ERROR_SUCCESS"
    except NTSTATUSError as e:
        code = e.args[0] & 0xFFFFFFFF
        return 0, STATUS_NAMES.get(code, "NTSTATUS_0x%08X" % code)


CLOCK = time.perf_counter


def loop_granted(sd, token, desired, n):
    check = samba_security.access_check
    clock = CLOCK
    start = clock()
    for _ in range(n):
        check(sd, token, desired)
    return clock() - start


def loop_denied(sd, token, desired, n):
    check = samba_security.access_check
    clock = CLOCK
    start = clock()
    for _ in range(n):
        try:
            check(sd, token, desired)
        except NTSTATUSError:
            pass
    return clock() - start


def lines_pass(path, domain, cpu_time, expect):
    """One timed pass over the checks of a batch file; returns the result dict."""
    dom = security.dom_sid(domain)
    descriptors, tokens, checks = {}, {}, []
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            request = json.loads(line)
            sddl = request["sd"]
            if sddl not in descriptors:
                descriptors[sddl] = security.descriptor.from_sddl(sddl, dom)
            key = json.dumps(request["token"], sort_keys=True)
            if key not in tokens:
                tokens[key] = make_token(request["token"])
            checks.append((descriptors[sddl], tokens[key], int(request["desired"])))
    if expect:
        with open(expect, "r", encoding="utf-8") as f:
            wanted = [json.loads(line) for line in f]
        got = [check_once(*c) for c in checks]
        for i, ((granted, status), want) in enumerate(zip(got, wanted)):
            if "0x%x" % granted != want["granted"] or status != want["status"]:
                sys.stderr.write("samba-access-bench: line %d: 0x%x %s, expected %s %s\n"
                                 % (i + 1, granted, status, want["granted"], want["status"]))
                sys.exit(3)
    check = samba_security.access_check
    clock = time.thread_time if cpu_time else time.perf_counter
    start = clock()
    for sd, token, desired in checks:
        try:
            check(sd, token, desired)
        except NTSTATUSError:
            pass
    seconds = clock() - start
    return {"ops_per_sec": len(checks) / seconds if seconds > 0 else float("inf"),
            "lines": len(checks), "seconds": seconds}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("lines")
    c.add_argument("--domain", required=True)
    c.add_argument("--cpu-time", action="store_true")
    c.add_argument("--expect")
    c.add_argument("batch")
    for name in ("check", "bench"):
        c = sub.add_parser(name)
        c.add_argument("--domain", required=True)
        if name == "bench":
            c.add_argument("--iterations", type=int)
            c.add_argument("--seconds", type=float, default=1.0)
            c.add_argument("--cpu-time", action="store_true")
        c.add_argument("sddl")
        c.add_argument("token")
        c.add_argument("desired")
    args = p.parse_args(argv)
    if args.mode == "lines":
        try:
            print(json.dumps(lines_pass(args.batch, args.domain, args.cpu_time, args.expect)))
        except Unsupported as e:
            sys.stderr.write("samba-access-bench: %s: %s\n" % (args.batch, e))
            return 2
        return 0

    dom = security.dom_sid(args.domain)
    sddl = read_text(args.sddl)
    try:
        sd = security.descriptor.from_sddl(sddl, dom)
    except Exception as e:
        sys.stderr.write("samba-access-bench: Samba cannot parse SDDL: %s\n" % (e,))
        return 2
    try:
        token = load_token(args.token)
    except Unsupported as e:
        sys.stderr.write("samba-access-bench: %s: %s\n" % (args.token, e))
        return 2
    desired = int(args.desired, 0)
    granted, status = check_once(sd, token, desired)
    result = {"granted": "0x%x" % granted, "status": status}
    if args.mode == "check":
        print(json.dumps(result))
        return 0

    if args.iterations is not None and args.iterations <= 0:
        p.error("--iterations must be positive")
    if args.cpu_time:
        global CLOCK
        CLOCK = time.thread_time
    loop = loop_granted if status == "ERROR_SUCCESS" else loop_denied
    out = {"samba_version": samba.version}
    out.update(measure(lambda n: loop(sd, token, desired, n), args.iterations, args.seconds, first=1000))
    out.update(result)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
