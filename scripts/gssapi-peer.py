#!/usr/bin/env python3
"""python-gssapi as the other side of an SSPI or GSS-API exchange (interop tests, people).

One base64 token a line each way, the framing of `ntsec gss init/accept` and `ntsec sspi
client/server`:

  gssapi-peer.py initiate SERVICE@HOST [krb5|spnego]
      prints the context tokens, reads the acceptor's; then "established"; then a wrapped
      message as "wrap:BASE64", expects "mic:BASE64" (a MIC over that message) and
      "wrap:BASE64" (the acceptor's reply), and prints "got:TEXT" with the reply's text.
  gssapi-peer.py accept
      reads the initiator's tokens (default credentials: KRB5_KTNAME), prints the replies; then
      "established NAME"; then expects "wrap:BASE64", answers "mic:BASE64" over its plaintext
      and "wrap:BASE64" of "reply: " + that plaintext.

Exits non-zero (with the reason on stderr) when anything fails.
"""
import base64
import sys

import gssapi

MESSAGE = b"hello from python-gssapi"
FLAGS = [
    gssapi.RequirementFlag.mutual_authentication,
    gssapi.RequirementFlag.confidentiality,
    gssapi.RequirementFlag.integrity,
    gssapi.RequirementFlag.replay_detection,
    gssapi.RequirementFlag.out_of_sequence_detection,
]


def send(line):
    print(line, flush=True)


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit("gssapi-peer: the other side closed the connection")
    return line.strip()


def b64(data):
    return base64.b64encode(data).decode()


def expect(prefix):
    line = receive()
    if not line.startswith(prefix):
        sys.exit(f"gssapi-peer: expected {prefix!r}, got {line[:60]!r}")
    return base64.b64decode(line[len(prefix):])


def initiate(target, mech_name):
    mechs = {"krb5": gssapi.MechType.kerberos, "spnego": gssapi.OID.from_int_seq("1.3.6.1.5.5.2")}
    name = gssapi.Name(target, gssapi.NameType.hostbased_service)
    ctx = gssapi.SecurityContext(name=name, mech=mechs[mech_name], usage="initiate", flags=FLAGS)
    token = ctx.step()
    while True:
        if token:
            send(b64(token))
        if ctx.complete:
            break
        token = ctx.step(base64.b64decode(receive()))
    send("established")
    send("wrap:" + b64(ctx.wrap(MESSAGE, True).message))
    ctx.verify_signature(MESSAGE, expect("mic:"))
    reply = ctx.unwrap(expect("wrap:"))
    if not reply.encrypted:
        sys.exit("gssapi-peer: the reply was not encrypted")
    send("got:" + reply.message.decode())


def accept():
    ctx = gssapi.SecurityContext(usage="accept")
    while not ctx.complete:
        token = ctx.step(base64.b64decode(receive()))
        if token:
            send(b64(token))
    send(f"established {ctx.initiator_name}")
    message = ctx.unwrap(expect("wrap:")).message
    send("mic:" + b64(ctx.get_signature(message)))
    send("wrap:" + b64(ctx.wrap(b"reply: " + message, True).message))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "initiate":
        initiate(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "krb5")
    elif len(sys.argv) == 2 and sys.argv[1] == "accept":
        accept()
    else:
        sys.exit(__doc__)
