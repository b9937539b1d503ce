#!/usr/bin/python3
"""Samba's view of NT ACLs on files, for ObjectSecurity's tests: one long-lived process answering
JSON lines on stdin (one request a line, one answer a line).

Usage: samba-ntacl-oracle.py WORKDIR SHARE_PATH
Writes WORKDIR/smb.conf (standalone server, share [x] with vfs acl_xattr, share [p] without vfs
objects and with dos filemode) and answers:
  {"op": "get", "path": P}            smbd.get_nt_acl through [x] (owner, group, DACL, SACL)
  {"op": "posix", "path": P}          smbd.get_nt_acl through [p]: the POSIX layer's descriptor
  {"op": "set", "path": P, "sd": HEX} ntacls.setntacl(use_ntvfs=False, service x): v4 as smbd
  {"op": "setv1", "path": P, "sd": HEX} ntacls.setntacl(use_ntvfs=True): version 1
  {"op": "raw", "path": P}            the stored descriptor (ntacls.getntacl, native backend)
Descriptors are hex of NDR (self-relative) bytes. Answers: {"sd": HEX} / {"ok": true} /
{"error": TEXT}.
"""
import json
import os
import sys

from samba import ntacls
from samba.auth_util import system_session_unix
from samba.dcerpc import security
from samba.ndr import ndr_pack, ndr_unpack
from samba.param import LoadParm
from samba.samba3 import param as s3param
from samba.samba3 import smbd

work, share = sys.argv[1], sys.argv[2]
dirs = {k: os.path.join(work, k) for k in ("private", "state", "cache", "lock", "ncalrpc", "pid")}
for d in dirs.values():
    os.makedirs(d, exist_ok=True)
conf = os.path.join(work, "smb.conf")
with open(conf, "w") as f:
    f.write(f"""[global]
server role = standalone server
private dir = {dirs['private']}
state directory = {dirs['state']}
cache directory = {dirs['cache']}
lock directory = {dirs['lock']}
ncalrpc dir = {dirs['ncalrpc']}
pid directory = {dirs['pid']}
passdb backend = tdbsam:{dirs['private']}/passdb.tdb
interfaces = lo
bind interfaces only = yes
disable netbios = yes
[x]
path = {share}
vfs objects = acl_xattr
[p]
path = {share}
dos filemode = yes
""")
lp = LoadParm()
lp.load(conf)
s3param.get_context().load(conf)
session = system_session_unix()
domain = security.dom_sid("S-1-5-21-1111-2222-3333")
ALL = security.SECINFO_OWNER | security.SECINFO_GROUP | security.SECINFO_DACL | security.SECINFO_SACL
print(json.dumps({"ready": True, "conf": conf}), flush=True)

for line in sys.stdin:
    try:
        req = json.loads(line)
        op, path = req["op"], req.get("path")
        if op in ("get", "posix"):
            sd = smbd.get_nt_acl(path, ALL, session, service="x" if op == "get" else "p")
            ans = {"sd": ndr_pack(sd).hex()}
        elif op in ("set", "setv1"):
            sd = ndr_unpack(security.descriptor, bytes.fromhex(req["sd"]))
            ntacls.setntacl(lp, path, sd, domain, session, use_ntvfs=(op == "setv1"), service="x")
            ans = {"ok": True}
        elif op == "raw":
            sd = ntacls.getntacl(lp, path, None, backend="native")
            ans = {"sd": ndr_pack(sd).hex()}
        else:
            ans = {"error": f"unknown op {op}"}
    except Exception as e:  # the test reports it
        ans = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(ans), flush=True)
