#!/usr/bin/python3
"""Scale benchmark driver (run through benchmarks/scale.sh): many ZMTP connections to one server,
ours (dev.zmq.perf.ScaleServer in a JVM) beside libzmq (pyzmq in a process of its own).

The clients are raw non-blocking TCP sockets in this process speaking ZMTP 3.0 NULL (greeting,
READY), so they cost the servers exactly one connection each and this driver's own memory is not
measured. For each server and each count N the server's process is measured at rest and with N
connections up: RSS (and, for the JVM, direct memory and heap after GC) per connection, and the
time from the first connect until every handshake is done. Then N_SUBS subscribers on one PUB,
COUNT messages published: memory per subscriber and the time until every subscriber has them all.
"""
import os
import selectors
import socket
import subprocess
import sys
import time

import zmq

# The raw ZMTP bytes (NULL greeting, READY) are shared with zmq-core's hostile-peer tests.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "zmq-core", "src", "test", "resources", "hostile"))
from zmtp_raw import greeting, ready  # noqa: E402


class Conn:
    __slots__ = ("sock", "buf", "handshaken", "received", "need")

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.handshaken = False
        self.received = 0  # bytes after the handshake
        self.need = None


def try_handshake(c):
    """True once the server's greeting and READY have been read (extra bytes count as data)."""
    if len(c.buf) < 66:
        return False
    size = c.buf[65]
    if len(c.buf) < 66 + size:
        return False
    c.received += len(c.buf) - (66 + size)
    c.buf = None
    c.handshaken = True
    return True


def open_connections(port, n, socket_type, subscribe):
    """Opens n connections in batches, completes their handshakes; returns (conns, selector, seconds)."""
    sel = selectors.DefaultSelector()
    conns = []
    hello = greeting(minor=0) + ready(socket_type)
    start = time.time()
    done = 0
    batch = 250
    deadline = start + 300
    while done < n:
        target = min(n, len(conns) + batch)
        while len(conns) < target:
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            c = Conn(s)
            conns.append(c)
            sel.register(s, selectors.EVENT_WRITE, c)
        # drive this batch until it is handshaken
        while done < len(conns):
            if time.time() > deadline:
                raise SystemExit("handshakes did not complete: %d of %d" % (done, n))
            for key, ev in sel.select(timeout=1.0):
                c = key.data
                if ev & selectors.EVENT_WRITE:
                    try:
                        c.sock.sendall(hello)
                    except (BlockingIOError, OSError):
                        continue
                    sel.modify(c.sock, selectors.EVENT_READ, c)
                    continue
                try:
                    data = c.sock.recv(65536)
                except BlockingIOError:
                    continue
                if not data:
                    raise SystemExit("the server closed a connection during the handshake")
                if not c.handshaken:
                    c.buf.extend(data)
                    if try_handshake(c):
                        done += 1
                        if subscribe:
                            # After the server's READY: libzmq 4.3 fails a handshake whose READY arrives in
                            # the same read as a data frame (ZMTP_UNEXPECTED_COMMAND).
                            c.sock.sendall(b"\x00\x01\x01")
                else:
                    c.received += len(data)
    return conns, sel, time.time() - start


def wait_for_bytes(conns, sel, per_conn, timeout=600):
    start = time.time()
    pending = sum(1 for c in conns if c.received < per_conn)
    while pending:
        if time.time() - start > timeout:
            raise SystemExit("subscribers still waiting: %d" % pending)
        for key, _ in sel.select(timeout=1.0):
            c = key.data
            try:
                data = c.sock.recv(1 << 20)
            except BlockingIOError:
                continue
            before = c.received
            c.received += len(data)
            if before < per_conn <= c.received:
                pending -= 1
    return time.time() - start


def close_all(conns, sel):
    for c in conns:
        try:
            sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()
    sel.close()


class Server:
    """A server process answering ENDPOINT/STATS/PUBLISHED on stdout."""

    def __init__(self, impl, kind, jar, java_opts):
        if impl == "ours":
            cmd = ["java"] + java_opts + ["-cp", jar, "dev.zmq.perf.ScaleServer", kind]
        else:
            cmd = ["/usr/bin/python3", os.path.abspath(__file__), "libzmq-server", kind]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        line = self.p.stdout.readline().split()
        assert line and line[0] == "ENDPOINT", "server said %r" % line
        self.port = int(line[1].rsplit(":", 1)[1])

    def ask(self, cmd, expect):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline().split()
        assert line and line[0] == expect, "server said %r to %s" % (line, cmd)
        return dict(w.split("=", 1) for w in line[1:] if "=" in w)

    def stats(self):
        s = self.ask("stats", "STATS")
        return {k: int(v) for k, v in s.items()}

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            pass
        self.p.wait(30)


def libzmq_server(kind):
    ctx = zmq.Context()
    ctx.set(zmq.MAX_SOCKETS, 100000)
    s = ctx.socket(getattr(zmq, kind))
    s.linger = 0
    s.sndhwm = 0
    s.rcvhwm = 0
    port = s.bind_to_random_port("tcp://127.0.0.1")
    print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == "stats":
            rss = 0
            with open("/proc/self/status") as f:
                for l in f:
                    if l.startswith("VmRSS:"):
                        rss = int(l.split()[1])
            print("STATS rss_kb=%d threads=%d fds=%d" % (rss, len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))),
                  flush=True)
        elif w[0] == "pub":
            body = bytes(int(w[2]))
            for _ in range(int(w[1])):
                s.send(body)
            print("PUBLISHED %s" % w[1], flush=True)
        elif w[0] == "quit":
            break
    s.close()
    ctx.term()


def main():
    jar = os.environ["SCALE_JAR"]
    counts = [int(x) for x in os.environ.get("SCALE_COUNTS", "1000 5000 10000").split()]
    impls = os.environ.get("SCALE_IMPLS", "ours libzmq").split()
    subs = int(os.environ.get("SCALE_SUBS", "1000"))
    pub_count = int(os.environ.get("SCALE_PUB_COUNT", "1000"))
    pub_size = int(os.environ.get("SCALE_PUB_SIZE", "64"))
    java_opts = os.environ.get("SCALE_JAVA_OPTS", "-Xms256m -Xmx1g").split()
    print("ROUTER, one server process per row; per connection = (with N - at rest) / N")
    print("| impl | N | connect s | RSS MiB at rest | RSS MiB with N | RSS KiB/conn | direct KiB/conn | heap KiB/conn |")
    print("|---|---|---|---|---|---|---|---|")
    for n in counts:
        for impl in impls:
            srv = Server(impl, "ROUTER", jar, java_opts)
            try:
                rest = srv.stats()
                conns, sel, secs = open_connections(srv.port, n, b"DEALER", False)
                up = srv.stats()
                close_all(conns, sel)
            finally:
                srv.close()
            per = lambda k: "%.1f" % ((up[k] - rest[k]) / n / (1 if k == "rss_kb" else 1024.0)) if k in up else "-"
            print("| %s | %d | %.2f | %.0f | %.0f | %s | %s | %s |" % (impl, n, secs, rest["rss_kb"] / 1024.0, up["rss_kb"] / 1024.0,
                                                                       per("rss_kb"), per("direct"), per("heap")), flush=True)
    print()
    print("PUB with %d subscribers: %d messages of %d bytes to each" % (subs, pub_count, pub_size))
    print("| impl | connect s | RSS KiB/sub | direct KiB/sub | fan-out s | deliveries/s |")
    print("|---|---|---|---|---|---|")
    for impl in impls:
        srv = Server(impl, "PUB", jar, java_opts)
        try:
            rest = srv.stats()
            conns, sel, secs = open_connections(srv.port, subs, b"SUB", True)
            up = srv.stats()
            time.sleep(0.5)  # let the subscriptions (sent with the handshake) reach the PUB
            t0 = time.time()
            srv.p.stdin.write("pub %d %d\n" % (pub_count, pub_size))
            srv.p.stdin.flush()
            fan = wait_for_bytes(conns, sel, pub_count * (2 + pub_size))
            elapsed = time.time() - t0
            srv.p.stdout.readline()
            close_all(conns, sel)
        finally:
            srv.close()
        direct = "%.1f" % ((up["direct"] - rest["direct"]) / subs / 1024.0) if "direct" in up else "-"
        print("| %s | %.2f | %.1f | %s | %.2f | %.0f |" % (impl, secs, (up["rss_kb"] - rest["rss_kb"]) / subs, direct, elapsed,
                                                          subs * pub_count / elapsed), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "libzmq-server":
        libzmq_server(sys.argv[2])
    else:
        main()
