#!/usr/bin/python3
"""Request-reply worker, as the ZeroMQ Guide's rrworker (libzmq through pyzmq).

Connects REP to the broker's backend (tcp://localhost:5560) and answers each request with "World".
Runs until stopped.

Usage: rrworker.py [backend-endpoint]
"""
import signal
import sys

import zmq

backend_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://localhost:5560"
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

context = zmq.Context()
socket = context.socket(zmq.REP)
socket.connect(backend_endpoint)

while True:
    message = socket.recv()
    print("Received request: [%s]" % message.decode(), flush=True)
    socket.send(b"World")
