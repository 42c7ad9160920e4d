#!/usr/bin/python3
"""Task ventilator, as the ZeroMQ Guide's taskvent (libzmq through pyzmq).

Binds PUSH to tcp://*:5557 and sends a batch of tasks to the workers, after sending "0" to the
sink (tcp://localhost:5558) to start the batch.

Usage: taskvent.py [tasks-bind-endpoint] [sink-endpoint] [task-count] [max-workload-ms]
The real bound endpoint goes to stderr, so tests can bind tcp://127.0.0.1:* and find the port.
"""
import random
import sys
import time

import zmq

bind_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5557"
sink_endpoint = sys.argv[2] if len(sys.argv) > 2 else "tcp://localhost:5558"
task_count = int(sys.argv[3]) if len(sys.argv) > 3 else 100
max_workload = int(sys.argv[4]) if len(sys.argv) > 4 else 100

context = zmq.Context()

sender = context.socket(zmq.PUSH)  # tasks to the workers
sender.bind(bind_endpoint)
print("taskvent bound to %s" % sender.getsockopt_string(zmq.LAST_ENDPOINT), file=sys.stderr, flush=True)

sink = context.socket(zmq.PUSH)  # the start signal, straight to the sink
sink.connect(sink_endpoint)

print("Press Enter when the workers are ready: ", flush=True)
sys.stdin.readline()
print("Sending tasks to workers...", flush=True)

sink.send(b"0")  # the first message starts the batch

total_msec = 0
for _ in range(task_count):
    workload = random.randint(1, max_workload)  # a random workload from 1 to max msec
    total_msec += workload
    sender.send_string("%d" % workload)
print("Total expected cost: %d msec" % total_msec, flush=True)

time.sleep(1)  # give 0MQ time to deliver
sender.close()
sink.close()
context.term()
