#!/usr/bin/python3
"""Task sink, as the ZeroMQ Guide's tasksink (libzmq through pyzmq).

Binds PULL to tcp://*:5558, waits for the start of a batch, collects 100 results and prints how
long the batch took.

Usage: tasksink.py [bind-endpoint] [result-count]
The real bound endpoint goes to stderr, so tests can bind tcp://127.0.0.1:* and find the port.
"""
import sys
import time

import zmq

bind_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5558"
result_count = int(sys.argv[2]) if len(sys.argv) > 2 else 100

context = zmq.Context()

receiver = context.socket(zmq.PULL)
receiver.bind(bind_endpoint)
print("tasksink bound to %s" % receiver.getsockopt_string(zmq.LAST_ENDPOINT), file=sys.stderr, flush=True)

receiver.recv()  # the start of the batch
start = time.time()

for result in range(result_count):
    receiver.recv()
    sys.stdout.write(":" if result % 10 == 0 else ".")
    sys.stdout.flush()

print("Total elapsed time: %d msec" % ((time.time() - start) * 1000), flush=True)
receiver.close()
context.term()
