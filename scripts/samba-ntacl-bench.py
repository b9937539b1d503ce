#!/usr/bin/python3
"""samba.ntacls.setntacl (s3, as smbd stores it) over every file of a tree: files per second.

Usage: samba-ntacl-bench.py WORKDIR TREE SDDL   (prints one JSON line)
"""
import json
import os
import sys
import time

from samba import ntacls
from samba.auth_util import system_session_unix
from samba.dcerpc import security
from samba.param import LoadParm
from samba.samba3 import param as s3param

work, tree, sddl = sys.argv[1:4]
for d in ("private", "state", "cache", "lock", "ncalrpc", "pid"):
    os.makedirs(os.path.join(work, d), exist_ok=True)
conf = os.path.join(work, "smb.conf")
with open(conf, "w") as f:
    f.write("[global]\nserver role = standalone server\n")
    for key, d in (("private dir", "private"), ("state directory", "state"),
                   ("cache directory", "cache"), ("lock directory", "lock"),
                   ("ncalrpc dir", "ncalrpc"), ("pid directory", "pid")):
        f.write(f"{key} = {os.path.join(work, d)}\n")
    f.write(f"passdb backend = tdbsam:{work}/private/passdb.tdb\n[x]\npath = {tree}\nvfs objects = acl_xattr\n")
lp = LoadParm()
lp.load(conf)
s3param.get_context().load(conf)
session = system_session_unix()
domain = security.dom_sid("S-1-5-21-1111-2222-3333")
paths = [tree]
for d, dirs, files in os.walk(tree):
    paths += [os.path.join(d, x) for x in dirs + files]
start = time.monotonic()
for p in paths:
    ntacls.setntacl(lp, p, sddl, domain, session, use_ntvfs=False, service="x")
elapsed = time.monotonic() - start
print(json.dumps({"files": len(paths), "seconds": elapsed, "files_per_sec": len(paths) / elapsed}))
