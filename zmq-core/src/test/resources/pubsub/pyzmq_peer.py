"""A libzmq (pyzmq) peer for the pub-sub interop tests, driven line by line over stdin.

Each command line gets exactly one reply line on stdout: "ok ..." or "err <reason>".
Frames are hex; "-" stands for an empty frame. The process never hangs: every receive has a
timeout, it exits on EOF or "quit", and a hard alarm ends it regardless.

Commands (ids name sockets):
  socket ID TYPE                       PUB, SUB, XPUB, XSUB; LINGER is 0
  set ID OPTION INT                    SNDHWM, RCVHWM, XPUB_VERBOSE, ...
  bind ID ENDPOINT                     -> ok <endpoint bound>
  connect ID ENDPOINT
  sub ID HEX | unsub ID HEX
  sub-range ID PREFIXHEX FROM COUNT    subscribe PREFIX + "%05d" % i for i in range(FROM, FROM+COUNT)
  send ID HEX [HEX ...]                one message, one frame per argument
  send-range ID PREFIXHEX FROM COUNT   publish PREFIX + "%05d" % i, one message each
  recv ID TIMEOUT_MS                   -> ok <frames...> | ok timeout
  recv-n ID N TIMEOUT_MS               -> ok <count> <msg> ...; each msg is its frames joined by ","
  pub-loop ID PREFIXHEX [AFTER ENDPOINT]  publish PREFIX + "%09d" % seq from a thread until pub-stop
                                       (connects to ENDPOINT after AFTER messages, from that thread)
  pub-count ID                         -> ok <messages published so far>
  pub-stop ID                          -> ok <messages published>
  close ID
  quit
"""
import os
import signal
import sys
import threading
import time

import zmq

signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
signal.alarm(int(os.environ.get("PEER_DEADLINE_S", "60")))

TYPES = {"PUB": zmq.PUB, "SUB": zmq.SUB, "XPUB": zmq.XPUB, "XSUB": zmq.XSUB}
OPTIONS = {
    "SNDHWM": zmq.SNDHWM, "RCVHWM": zmq.RCVHWM,
    "XPUB_VERBOSE": zmq.XPUB_VERBOSE, "XPUB_VERBOSER": zmq.XPUB_VERBOSER,
    "XPUB_MANUAL": zmq.XPUB_MANUAL, "XPUB_NODROP": zmq.XPUB_NODROP, "CONFLATE": zmq.CONFLATE,
}

ctx = zmq.Context()
sockets = {}
loops = {}


def unhex(s):
    return b"" if s == "-" else bytes.fromhex(s)


def tohex(b):
    return b.hex() if b else "-"


class PubLoop:
    def __init__(self, sock, prefix, connect_after, endpoint):
        self.sock, self.prefix = sock, prefix
        self.connect_after, self.endpoint = connect_after, endpoint
        self.count = 0
        self.stop = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        try:
            while not self.stop.is_set():
                if self.endpoint is not None and self.count == self.connect_after:
                    self.sock.connect(self.endpoint)
                self.sock.send(self.prefix + b"%09d" % self.count)
                self.count += 1
                if self.count % 10 == 0:
                    time.sleep(0.0005)  # pacing, so the subscriber keeps up and nothing is dropped
        except Exception as e:  # reported by pub-stop
            self.error = repr(e)


def recv_one(sock, timeout_ms):
    if not sock.poll(timeout_ms):
        return None
    return sock.recv_multipart()


def handle(words):
    cmd = words[0]
    if cmd == "socket":
        s = ctx.socket(TYPES[words[2]])
        s.linger = 0
        sockets[words[1]] = s
        return "ok"
    if cmd == "quit":
        return None
    s = sockets[words[1]]
    if cmd == "set":
        s.setsockopt(OPTIONS[words[2]], int(words[3]))
        return "ok"
    if cmd == "bind":
        s.bind(words[2])
        return "ok " + s.getsockopt(zmq.LAST_ENDPOINT).decode()
    if cmd == "connect":
        s.connect(words[2])
        return "ok"
    if cmd == "sub":
        s.setsockopt(zmq.SUBSCRIBE, unhex(words[2]))
        return "ok"
    if cmd == "unsub":
        s.setsockopt(zmq.UNSUBSCRIBE, unhex(words[2]))
        return "ok"
    if cmd == "sub-range":
        prefix, first, count = unhex(words[2]), int(words[3]), int(words[4])
        for i in range(first, first + count):
            s.setsockopt(zmq.SUBSCRIBE, prefix + b"%05d" % i)
        return "ok"
    if cmd == "send":
        s.send_multipart([unhex(w) for w in words[2:]])
        return "ok"
    if cmd == "send-range":
        prefix, first, count = unhex(words[2]), int(words[3]), int(words[4])
        for i in range(first, first + count):
            s.send(prefix + b"%05d" % i)
        return "ok"
    if cmd == "recv":
        m = recv_one(s, int(words[2]))
        return "ok timeout" if m is None else "ok " + " ".join(tohex(f) for f in m)
    if cmd == "recv-n":
        n, timeout_ms = int(words[2]), int(words[3])
        deadline = time.monotonic() + timeout_ms / 1000.0
        got = []
        while len(got) < n:
            left = int((deadline - time.monotonic()) * 1000)
            m = recv_one(s, max(left, 0)) if left > 0 else None
            if m is None:
                break
            got.append(",".join(tohex(f) for f in m))
        return "ok %d %s" % (len(got), " ".join(got))
    if cmd == "pub-loop":
        after, endpoint = (int(words[3]), words[4]) if len(words) > 4 else (0, None)
        loops[words[1]] = PubLoop(s, unhex(words[2]), after, endpoint)
        return "ok"
    if cmd == "pub-count":
        return "ok %d" % loops[words[1]].count
    if cmd == "pub-stop":
        loop = loops.pop(words[1])
        loop.stop.set()
        loop.thread.join(5)
        if loop.error:
            return "err publisher thread: " + loop.error
        return "ok %d" % loop.count
    if cmd == "close":
        s.close()
        del sockets[words[1]]
        return "ok"
    return "err unknown command " + cmd


def main():
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            reply = handle(words)
        except Exception as e:
            reply = "err %s: %r" % (words[0], e)
        if reply is None:
            break
        sys.stdout.write(reply + "\n")
        sys.stdout.flush()
    for loop in loops.values():
        loop.stop.set()
        loop.thread.join(2)
    for s in sockets.values():
        s.close(linger=0)
    ctx.term()


if __name__ == "__main__":
    main()
