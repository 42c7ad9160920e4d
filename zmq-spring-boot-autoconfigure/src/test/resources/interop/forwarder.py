# A libzmq hop in the middle: PULL (bound) -> PUSH (connected to argv[1]), frames forwarded unchanged.
import sys

import zmq

ctx = zmq.Context()
pull = ctx.socket(zmq.PULL)
pull.setsockopt(zmq.LINGER, 0)
pull.setsockopt(zmq.RCVTIMEO, 30000)
port = pull.bind_to_random_port("tcp://127.0.0.1")
push = ctx.socket(zmq.PUSH)
push.setsockopt(zmq.LINGER, 2000)
push.connect(sys.argv[1])
print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
for _ in range(int(sys.argv[2])):
    frames = pull.recv_multipart()
    push.send_multipart(frames)
    print("FORWARDED", len(frames), frames[0][:4].hex(), flush=True)
push.close()
pull.close()
ctx.term()
