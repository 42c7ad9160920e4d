# A libzmq requester: sends each argument as a request and prints the reply or the error reply.
import sys

import zmq

# tag::error-reply[]
ERROR_MARKER = b"\xffZE\x01"


def read_reply(frames):
    """(None, body) for a normal reply; (code, message) for an error reply."""
    if len(frames) == 3 and frames[0] == ERROR_MARKER:
        return frames[1].decode("ascii"), frames[2].decode("utf-8")
    return None, frames[-1]
# end::error-reply[]


ctx = zmq.Context()
req = ctx.socket(zmq.REQ)
req.setsockopt(zmq.LINGER, 0)
req.setsockopt(zmq.RCVTIMEO, 20000)
req.connect(sys.argv[1])
for request in sys.argv[2:]:
    req.send_string(request)
    code, body = read_reply(req.recv_multipart())
    if code is None:
        print("REPLY", body.decode("utf-8"), flush=True)
    else:
        print("ERROR", code, body, flush=True)
req.close()
ctx.term()
