#!/usr/bin/python3
"""Simple request-reply broker, as the ZeroMQ Guide's rrbroker (libzmq through pyzmq).

Binds ROUTER to tcp://*:5559 for clients and DEALER to tcp://*:5560 for workers, and moves
messages between them with a poller. Runs until stopped.

Usage: rrbroker.py [frontend-bind-endpoint] [backend-bind-endpoint]
The real bound endpoints go to stderr, so tests can bind tcp://127.0.0.1:* and find the ports.
"""
import signal
import sys

import zmq

frontend_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5559"
backend_endpoint = sys.argv[2] if len(sys.argv) > 2 else "tcp://*:5560"
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

context = zmq.Context()
frontend = context.socket(zmq.ROUTER)
backend = context.socket(zmq.DEALER)
frontend.bind(frontend_endpoint)
backend.bind(backend_endpoint)
print("rrbroker frontend bound to %s, backend bound to %s" % (
    frontend.getsockopt_string(zmq.LAST_ENDPOINT), backend.getsockopt_string(zmq.LAST_ENDPOINT)),
    file=sys.stderr, flush=True)

poller = zmq.Poller()
poller.register(frontend, zmq.POLLIN)
poller.register(backend, zmq.POLLIN)

while True:
    ready = dict(poller.poll())
    if ready.get(frontend) == zmq.POLLIN:
        backend.send_multipart(frontend.recv_multipart())
    if ready.get(backend) == zmq.POLLIN:
        frontend.send_multipart(backend.recv_multipart())
