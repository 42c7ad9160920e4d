#!/usr/bin/python3
"""A libzmq peer for the network fault tests (dev.zmq.faults), run inside a network namespace.

    peer.py ROLE bind|connect ENDPOINT COUNT [GENERATION]

Senders (PUSH, DEALER, PUB) send COUNT messages "GENERATION:SEQ" (SEQ from 0), then stay until
killed or until stdin closes. Receivers (PULL, ROUTER, SUB) print every message they get as one
line "GENERATION:SEQ" (stdout flushed per line; anything after a second colon is padding, left out). Both print "READY" once bound or connected.
"""
import os
import sys
import threading

import zmq

role, mode, endpoint, count = sys.argv[1].upper(), sys.argv[2], sys.argv[3], int(sys.argv[4])
generation = sys.argv[5] if len(sys.argv) > 5 else "0"

ctx = zmq.Context()
sock = ctx.socket(getattr(zmq, role))
sock.linger = 0
sock.setsockopt(zmq.RECONNECT_IVL, 100)
if role == "SUB":
    sock.setsockopt(zmq.RCVHWM, 0)
    sock.setsockopt(zmq.SUBSCRIBE, b"")
if role == "DEALER":
    sock.setsockopt(zmq.ROUTING_ID, ("peer-" + generation).encode())
if mode == "bind":
    sock.bind(endpoint)
else:
    sock.connect(endpoint)
print("READY", flush=True)


def exit_when_stdin_closes():
    """The test closes stdin to stop the peer (or kills it with SIGKILL)."""
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=exit_when_stdin_closes, daemon=True).start()

if role in ("PUSH", "DEALER", "PUB"):
    for seq in range(count):
        sock.send(("%s:%d" % (generation, seq)).encode())
    print("SENT %d" % count, flush=True)
    threading.Event().wait()
else:
    out = sys.stdout
    while True:
        frames = sock.recv_multipart()
        # "generation:seq" only: the tests pad their messages (so socket buffers hold few of them)
        out.write(":".join(frames[-1].decode().split(":")[:2]) + "\n")
        out.flush()
