# libzmq's STREAM socket (through pyzmq) as the server of StreamTest's side-by-side scenario.
# Prints "bound <endpoint>", then one transcript line per observation, then "done".
# The Java test drives the plain TCP clients and runs the same scenario on zmq-core's STREAM.
import errno
import zmq

ctx = zmq.Context()
s = ctx.socket(zmq.STREAM)
s.setsockopt(zmq.LINGER, 0)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.bind("tcp://127.0.0.1:*")
print("bound " + s.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)

events = {}   # id -> list of observations, in order
order = []    # ids in order of first appearance


def record(rid, data):
    if rid not in events:
        events[rid] = []
        order.append(rid)
    events[rid].append(data)


def recv():
    frames = s.recv_multipart()
    assert len(frames) == 2, frames
    record(frames[0], frames[1])
    return frames


# Client 1: connects, sends "hello", expects "world" then the end of the connection.
rid, data = recv()
first = rid
received = b""
while received != b"hello":
    r, d = recv()
    assert r == first, (r, first)
    received += d
s.send_multipart([first, b"world"])
s.send_multipart([first, b""])
# Client 2: connects and closes by itself; wait for its two notifications.
while len(order) < 2 or len(events[order[1]]) < 2:
    recv()
# Anything else that comes within a short while (a notification for the connection we closed?)
s.setsockopt(zmq.RCVTIMEO, 300)
try:
    while True:
        recv()
except zmq.Again:
    pass
for i, rid in enumerate(order):
    obs = events[rid]
    joined = []
    for d in obs:
        if d == b"":
            joined.append("notify")
        elif joined and joined[-1].startswith("data "):
            joined[-1] += d.decode()
        else:
            joined.append("data " + d.decode())
    print("peer%d idlen=%d zerofirst=%s: %s" % (i + 1, len(rid), rid[0] == 0, ", ".join(joined)), flush=True)
try:
    s.send_multipart([first, b"late"])
    print("send to closed peer: ok", flush=True)
except zmq.ZMQError as e:
    print("send to closed peer: " + errno.errorcode.get(e.errno, str(e.errno)), flush=True)
print("done", flush=True)
s.close()
ctx.term()
