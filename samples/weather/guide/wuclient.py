#!/usr/bin/python3
"""Weather update client, as the ZeroMQ Guide's wuclient (libzmq through pyzmq).

Connects SUB to tcp://localhost:5556, subscribes to one zipcode ("10001 " by default), collects
100 updates and prints the average temperature.

Usage: wuclient.py [zipcode] [server-endpoint] [update-count]
"""
import sys

import zmq

zip_filter = sys.argv[1] if len(sys.argv) > 1 else "10001 "
server_endpoint = sys.argv[2] if len(sys.argv) > 2 else "tcp://localhost:5556"
update_count = int(sys.argv[3]) if len(sys.argv) > 3 else 100

context = zmq.Context()
socket = context.socket(zmq.SUB)
print("Collecting updates from weather server...", flush=True)
socket.connect(server_endpoint)
socket.setsockopt_string(zmq.SUBSCRIBE, zip_filter)

total_temp = 0
for update in range(update_count):
    zipcode, temperature, relhumidity = socket.recv_string().split()
    total_temp += int(temperature)

print("Average temperature for zipcode '%s' was %dF" % (zip_filter.strip(), int(total_temp / update_count)), flush=True)
socket.close()
context.term()
