"""A libzmq peer (through pyzmq) for the starter's interop test.

  rep N          bind a REP on an ephemeral port, print "ENDPOINT <endpoint>", answer N requests with b"py:" + body
  req ENDPOINT T send T from a REQ to ENDPOINT, print "REPLY <reply>"
  push ENDPOINT N  connect a PUSH to ENDPOINT, send N two-frame messages [b"frame-a", b"item-i"], print "SENT"
  push-from ENDPOINT SRC...  for each source IP, a PUSH connecting from it (libzmq's "tcp://src:0;host:port")
                   sends b"from-SRC", print "SENT"
"""
import sys
import zmq

ctx = zmq.Context()
try:
    mode = sys.argv[1]
    if mode == "rep":
        s = ctx.socket(zmq.REP)
        s.setsockopt(zmq.LINGER, 1000)
        s.setsockopt(zmq.RCVTIMEO, 20000)
        s.bind("tcp://127.0.0.1:*")
        print("ENDPOINT", s.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)
        for _ in range(int(sys.argv[2])):
            frames = s.recv_multipart()
            s.send_multipart([b"py:" + frames[-1]])
        print("DONE", flush=True)
        s.close()
    elif mode == "req":
        s = ctx.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RCVTIMEO, 10000)
        s.connect(sys.argv[2])
        s.send(sys.argv[3].encode())
        print("REPLY", s.recv().decode(), flush=True)
        s.close()
    elif mode == "push":
        s = ctx.socket(zmq.PUSH)
        s.setsockopt(zmq.LINGER, 5000)
        s.connect(sys.argv[2])
        for i in range(int(sys.argv[3])):
            s.send_multipart([b"frame-a", ("item-%d" % i).encode()])
        s.close()
        print("SENT", flush=True)
    elif mode == "push-from":
        target = sys.argv[2][len("tcp://"):]
        sockets = []
        for source in sys.argv[3:]:
            s = ctx.socket(zmq.PUSH)
            s.setsockopt(zmq.LINGER, 5000)
            s.connect("tcp://%s:0;%s" % (source, target))
            s.send(("from-" + source).encode())
            sockets.append(s)
        for s in sockets:
            s.close()
        print("SENT", flush=True)
    else:
        print("unknown mode " + mode, file=sys.stderr, flush=True)
        sys.exit(2)
finally:
    ctx.term()
