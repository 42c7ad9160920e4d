#!/usr/bin/python3
"""Request-reply client, as the ZeroMQ Guide's rrclient (libzmq through pyzmq).

Connects REQ to the broker's frontend (tcp://localhost:5559), sends "Hello" ten times, waiting for
each reply, and prints the replies.

Usage: rrclient.py [frontend-endpoint] [request-count]
"""
import sys

import zmq

frontend_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://localhost:5559"
request_count = int(sys.argv[2]) if len(sys.argv) > 2 else 10

# tag::client[]
context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.connect(frontend_endpoint)

for request in range(1, request_count + 1):
    socket.send(b"Hello")
    message = socket.recv()
    print("Received reply %d [%s]" % (request, message.decode()), flush=True)
# end::client[]

socket.close()
context.term()
