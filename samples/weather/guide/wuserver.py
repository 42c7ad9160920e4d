#!/usr/bin/python3
"""Weather update server, as the ZeroMQ Guide's wuserver (libzmq through pyzmq).

Binds PUB to tcp://*:5556 and publishes random weather updates, "%05d %d %d" (zipcode,
temperature, relative humidity), as fast as it can. Runs until stopped.

Usage: wuserver.py [bind-endpoint]
The real bound endpoint goes to stderr, so tests can bind tcp://127.0.0.1:* and find the port.
"""
import signal
import sys
from random import randrange

import zmq

bind_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5556"
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

context = zmq.Context()
socket = context.socket(zmq.PUB)
socket.bind(bind_endpoint)
print("wuserver bound to %s" % socket.getsockopt_string(zmq.LAST_ENDPOINT), file=sys.stderr, flush=True)

while True:
    zipcode = randrange(0, 100000)
    temperature = randrange(-80, 135)
    relhumidity = randrange(10, 60)
    socket.send_string("%05d %d %d" % (zipcode, temperature, relhumidity))
