"""libzmq's side of the epgm tests: the same protocol as dev.zmq.transport.epgm.EpgmPeer.

pub ENDPOINT COUNT SIZE RATE [PACE]: prints READY, sends ["hello"] every 20 ms until "go" on stdin, then
  COUNT messages (fewer if "end" comes first) ["data", i, payload(i)] (with an ["other", i] after every tenth, which subscribers
  must never see) at PACE messages a second if given, printing PROGRESS i every 500, then ["end"] every 100 ms until "stop" or EOF.
sub ENDPOINT NSUBS RATE [DEADLINE]: NSUBS SUB sockets (RATE sizes their receive windows, as in libzmq) subscribed to hello, data and end; prints JOINED k at the first
  message of socket k and RESULT k first=F count=C ordered=O corrupt=X leaked=L rate=R at its first "end"
  (R: data messages a second between the first and the last one received).
"""
import sys, threading, queue, time
import zmq

_payloads = {}

def payload(i, size):
    # depends on i only modulo 256: cached, so checking does not slow a fast stream down
    key = (i & 0xFF, size)
    p = _payloads.get(key)
    if p is None:
        p = _payloads[key] = bytes(((i * 31 + j) & 0xFF) for j in range(size))
    return p

def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

def pub(endpoint, count, size, rate, pace):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUB)
    s.setsockopt(zmq.SNDHWM, 0)
    s.setsockopt(zmq.RATE, rate)
    s.setsockopt(zmq.LINGER, 2000)
    s.connect(endpoint)
    commands = queue.Queue()
    def read():
        for line in sys.stdin:
            commands.put(line.strip())
        commands.put("stop")
    threading.Thread(target=read, daemon=True).start()
    say("READY")
    while True:
        s.send(b"hello")
        try:
            if commands.get(timeout=0.02) == "go":
                break
        except queue.Empty:
            pass
    started = time.time()
    for i in range(count):
        if pace > 0:
            ahead = started + i / pace - time.time()
            if ahead > 0:
                time.sleep(ahead)
        try:
            if commands.get_nowait() == "end":
                break
        except queue.Empty:
            pass
        s.send_multipart([b"data", str(i).encode(), payload(i, size)])
        if i % 10 == 9:
            s.send_multipart([b"other", str(i).encode()])
        if i % 500 == 499:
            say("PROGRESS %d" % (i + 1))
    say("SENT %d" % count)
    while True:
        s.send(b"end")
        try:
            if commands.get(timeout=0.1) == "stop":
                break
        except queue.Empty:
            pass
    s.close()
    ctx.term()

def sub(endpoint, nsubs, rate, deadline):
    ctx = zmq.Context()
    socks = []
    poller = zmq.Poller()
    for k in range(nsubs):
        s = ctx.socket(zmq.SUB)
        s.setsockopt(zmq.RCVHWM, 0)
        s.setsockopt(zmq.RATE, rate)
        for t in (b"hello", b"data", b"end"):
            s.setsockopt(zmq.SUBSCRIBE, t)
        s.connect(endpoint)
        socks.append(s)
        poller.register(s, zmq.POLLIN)
    state = [dict(joined=False, first=None, last=None, count=0, ordered=True, corrupt=0, leaked=0, done=False) for _ in socks]
    say("READY")
    end = time.time() + deadline
    while not all(st["done"] for st in state):
        if time.time() > end:
            say("TIMEOUT " + " ".join("%d:%d" % (k, st["count"]) for k, st in enumerate(state)))
            sys.exit(2)
        for s, _ in poller.poll(200):
            k = socks.index(s)
            st = state[k]
            frames = s.recv_multipart()
            if st["done"]:
                continue
            if not st["joined"]:
                st["joined"] = True
                say("JOINED %d" % k)
            topic = frames[0]
            if topic == b"data":
                i = int(frames[1])
                st["t_last"] = time.time()
                if st["first"] is None:
                    st["first"] = i
                    st["t_first"] = st["t_last"]
                elif i != st["last"] + 1:
                    st["ordered"] = False
                st["last"] = i
                st["count"] += 1
                if frames[2] != payload(i, len(frames[2])) or len(frames) != 3:
                    st["corrupt"] += 1
            elif topic == b"end":
                st["done"] = True
                span = st.get("t_last", 0) - st.get("t_first", 0)
                rate = int((st["count"] - 1) / span) if span > 0 else 0
                say("RESULT %d first=%s count=%d ordered=%s corrupt=%d leaked=%d rate=%d" % (
                    k, st["first"], st["count"], str(st["ordered"]).lower(), st["corrupt"], st["leaked"], rate))
            elif topic != b"hello":
                st["leaked"] += 1
    for s in socks:
        s.close(0)
    ctx.term()

if __name__ == "__main__":
    role = sys.argv[1]
    if role == "pub":
        pub(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 0)
    else:
        sub(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) > 5 else 60.0)
