#!/usr/bin/python3
"""Hello World server, as the ZeroMQ Guide's hwserver (libzmq through pyzmq).

Binds REP to tcp://*:5555, expects "Hello" from clients and answers "World" after a second of
"work". Runs until stopped.

Usage: hwserver.py [bind-endpoint] [work-seconds]
The real bound endpoint goes to stderr, so tests can bind tcp://127.0.0.1:* and find the port.
"""
import signal
import sys
import time

import zmq

bind_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5555"
work_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

context = zmq.Context()
socket = context.socket(zmq.REP)
socket.bind(bind_endpoint)
print("hwserver bound to %s" % socket.getsockopt_string(zmq.LAST_ENDPOINT), file=sys.stderr, flush=True)

while True:
    message = socket.recv()  # wait for the next request from a client
    print("Received request: %s" % message.decode(), flush=True)
    time.sleep(work_seconds)  # do some 'work'
    socket.send(b"World")  # send the reply back to the client
