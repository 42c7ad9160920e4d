#!/usr/bin/python3
"""Hello World client, as the ZeroMQ Guide's hwclient (libzmq through pyzmq).

Connects REQ to tcp://localhost:5555, sends "Hello" ten times, waiting for each reply, and
prints the replies.

Usage: hwclient.py [server-endpoint] [request-count]
"""
import sys

import zmq

server_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://localhost:5555"
request_count = int(sys.argv[2]) if len(sys.argv) > 2 else 10

context = zmq.Context()
print("Connecting to hello world server...", flush=True)
socket = context.socket(zmq.REQ)
socket.connect(server_endpoint)

for request in range(request_count):
    print("Sending Hello %d..." % request, flush=True)
    socket.send(b"Hello")
    message = socket.recv()  # the reply; REQ waits for it before the next request
    print("Received %s %d" % (message.decode(), request), flush=True)

socket.close()
context.term()
