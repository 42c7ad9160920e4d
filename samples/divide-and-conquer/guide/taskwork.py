#!/usr/bin/python3
"""Task worker, as the ZeroMQ Guide's taskwork (libzmq through pyzmq).

Connects PULL to tcp://localhost:5557 for tasks and PUSH to tcp://localhost:5558 for results;
sleeps for each task's workload (milliseconds) and sends an empty result. Runs until stopped.

Usage: taskwork.py [ventilator-endpoint] [sink-endpoint]
"""
import signal
import sys
import time

import zmq

ventilator_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://localhost:5557"
sink_endpoint = sys.argv[2] if len(sys.argv) > 2 else "tcp://localhost:5558"
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

context = zmq.Context()

receiver = context.socket(zmq.PULL)
receiver.connect(ventilator_endpoint)

sender = context.socket(zmq.PUSH)
sender.connect(sink_endpoint)

while True:
    workload = receiver.recv()
    sys.stdout.write(".")  # a simple progress indicator for the viewer
    sys.stdout.flush()
    time.sleep(int(workload) * 0.001)  # the work
    sender.send(b"")  # the result, to the sink
