# A libzmq dead-letter consumer: PULL connected to the dead-letter socket, prints what one dead letter says.
import json
import struct
import sys

import zmq


# tag::headers[]
def zmq_headers(frame):
    if frame[:4] != b"\xffZH\x01":
        raise ValueError("not a header frame")
    headers, i = {}, 4
    while i < len(frame):
        n = frame[i]
        name = frame[i + 1:i + 1 + n].decode("ascii")
        i += 1 + n
        (length,) = struct.unpack(">I", frame[i:i + 4])
        i += 4
        headers[name] = frame[i:i + length].decode("utf-8")
        i += length
    return headers
# end::headers[]


ctx = zmq.Context()
pull = ctx.socket(zmq.PULL)
pull.setsockopt(zmq.LINGER, 0)
pull.setsockopt(zmq.RCVTIMEO, 20000)
pull.connect(sys.argv[1])
print("READY", flush=True)
frames = pull.recv_multipart()
print("HEADERS", json.dumps(zmq_headers(frames[0]), sort_keys=True), flush=True)
print("FRAMES", json.dumps([f.decode("utf-8") for f in frames[1:]]), flush=True)
pull.close()
ctx.term()
