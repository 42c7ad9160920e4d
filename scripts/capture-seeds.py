#!/usr/bin/python3
"""Records what real libzmq peers put on the wire and writes it as seed inputs for the Jazzer
fuzz targets of zmq-core (src/test/java/dev/zmq/fuzz).

Every scenario runs two pyzmq (libzmq 4.3) sockets through a recording TCP relay, or one pyzmq
socket against a raw socket that speaks an older ZMTP revision (so libzmq answers in ZMTP 1.0 or
2.0 framing). The bytes are then cut into what each target reads: whole client streams, frame
streams after the greeting, greetings, command bodies, metadata, PLAIN commands, Z85 keys.

Usage (Debian's python3-zmq, as the interop tests):
    /usr/bin/python3 scripts/capture-seeds.py [resources-dir]
The default resources-dir is zmq-core/src/test/resources. Existing seed-*.bin files are replaced;
crash-* findings kept by scripts/fuzz.sh are left alone. Re-run it when libzmq changes.
"""
import hashlib
import os
import socket
import struct
import sys
import threading
import time

import zmq
import zmq.auth.thread

# Same keys as TestKeys.java (test keys, made by zmq_curve_keypair).
SERVER_PUBLIC = b"5xIjiyR+A4]+S1rBk!.^wiV5:f&EbsCI8QCiO(qT"
SERVER_SECRET = b"?awm=:fmyLY:x$XAh7wh^4sOYiIW38-w[%p<MG.+"
CLIENT_PUBLIC = b"5tCJxdDhO.J{2e%Y>el1W{UI{vuAFW5KwH.Poh5="
CLIENT_SECRET = b"m<.puHu/^i&Ezx$Q]2yoS@tUYQr.=(?{!$Uki>6L"

MESSAGES = [[b"hello"], [b"", b"x" * 300], [b"a", b"b", b"c"], [b""], [bytes(range(256)) * 2]]


class Relay:
    """A TCP relay that records both directions of one connection."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.c2s = bytearray()
        self.s2c = bytearray()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", self.target_port))
        a = threading.Thread(target=self._pump, args=(client, server, self.c2s), daemon=True)
        b = threading.Thread(target=self._pump, args=(server, client, self.s2c), daemon=True)
        a.start(); b.start(); a.join(); b.join()

    @staticmethod
    def _pump(src, dst, record):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                record.extend(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def settle(pred=lambda: True, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline and not pred():
        time.sleep(0.02)


def session(ctx, server_type, client_type, setup_server=None, setup_client=None, client_sends=True, heartbeat=False):
    """Runs one libzmq client against one libzmq server through the relay; returns (c2s, s2c)."""
    server = ctx.socket(server_type)
    client = ctx.socket(client_type)
    for s in (server, client):
        s.linger = 0
    if setup_server:
        setup_server(server)
    if setup_client:
        setup_client(client)
    if heartbeat:
        client.setsockopt(zmq.HEARTBEAT_IVL, 50)
        client.setsockopt(zmq.HEARTBEAT_TTL, 1000)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    relay = Relay(port)
    client.connect("tcp://127.0.0.1:%d" % relay.port)
    if client_type == zmq.SUB:
        client.setsockopt(zmq.SUBSCRIBE, b"")
        client.setsockopt(zmq.SUBSCRIBE, b"topic")
        time.sleep(0.3)
        sender, receiver = server, client
    elif client_sends:
        sender, receiver = client, server
    else:
        sender, receiver = server, client
    receiver.rcvtimeo = 3000
    for m in MESSAGES:
        sender.send_multipart(m)
        receiver.recv_multipart()
        if client_type == zmq.REQ:
            receiver.send_multipart(m)
            sender.recv_multipart()
    if heartbeat:
        time.sleep(0.3)
    client.close()
    settle(lambda: not relay.thread.is_alive())
    server.close()
    return bytes(relay.c2s), bytes(relay.s2c)


def old_revision_stream(ctx, greeting):
    """Connects a raw socket that greets a libzmq PUSH in an older revision; returns what libzmq sent."""
    push = ctx.socket(zmq.PUSH)
    push.linger = 0
    port = push.bind_to_random_port("tcp://127.0.0.1")
    raw = socket.create_connection(("127.0.0.1", port))
    raw.sendall(greeting)
    time.sleep(0.2)
    for m in MESSAGES:
        push.send_multipart(m)
    raw.settimeout(0.5)
    got = bytearray()
    try:
        while True:
            data = raw.recv(65536)
            if not data:
                break
            got.extend(data)
    except socket.timeout:
        pass
    raw.close()
    push.close()
    return bytes(got)


def v3_frames(stream):
    """(flags, body) of each whole ZMTP 3 frame in a stream that starts after the greeting."""
    out, pos = [], 0
    while pos + 2 <= len(stream):
        flags = stream[pos]
        if flags & 2:
            if pos + 9 > len(stream):
                break
            size = struct.unpack(">Q", stream[pos + 1:pos + 9])[0]
            pos += 9
        else:
            size = stream[pos + 1]
            pos += 2
        if pos + size > len(stream):
            break
        out.append((flags, stream[pos:pos + size]))
        pos += size
    return out


def framed(parts):
    """Parts each preceded by a two-byte length, as FakeHandshake.commands reads them."""
    return b"".join(struct.pack(">H", len(p)) + p for p in parts)


class Seeds:
    def __init__(self, root):
        self.root = root
        self.count = 0

    def put(self, cls, method, data):
        d = os.path.join(self.root, "dev", "zmq", "fuzz", cls + "Inputs", method)
        os.makedirs(d, exist_ok=True)
        name = "seed-" + hashlib.sha1(data).hexdigest()[:16] + ".bin"
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        self.count += 1

    def clear(self):
        base = os.path.join(self.root, "dev", "zmq", "fuzz")
        for dirpath, _, files in os.walk(base):
            for f in files:
                if f.startswith("seed-"):
                    os.remove(os.path.join(dirpath, f))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "zmq-core",
                                                                "src", "test", "resources")
    seeds = Seeds(os.path.abspath(root))
    seeds.clear()
    ctx = zmq.Context()
    auth = zmq.auth.thread.ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    auth.configure_curve(domain="*", location=zmq.auth.CURVE_ALLOW_ANY)

    def plain_server(s):
        s.plain_server = True

    def plain_client(s):
        s.plain_username = b"admin"
        s.plain_password = b"secret"

    def curve_server(s):
        s.curve_server = True
        s.curve_secretkey = SERVER_SECRET
        s.curve_publickey = SERVER_PUBLIC

    def curve_client(s):
        s.curve_serverkey = SERVER_PUBLIC
        s.curve_publickey = CLIENT_PUBLIC
        s.curve_secretkey = CLIENT_SECRET

    def identity(s):
        s.setsockopt(zmq.ROUTING_ID, b"peer-1")

    # selector: 0 NULL PULL, 1 NULL ROUTER, 2 PLAIN PULL, 3 CURVE PULL (ZmtpStreamFuzzTest)
    null_sessions = {
        "push-pull": (0, session(ctx, zmq.PULL, zmq.PUSH, heartbeat=True)),
        "dealer-router": (1, session(ctx, zmq.ROUTER, zmq.DEALER, setup_client=identity)),
        "sub-pub": (None, session(ctx, zmq.PUB, zmq.SUB)),
        "req-rep": (None, session(ctx, zmq.REP, zmq.REQ)),
    }
    plain = session(ctx, zmq.PULL, zmq.PUSH, plain_server, plain_client)
    curve = session(ctx, zmq.PULL, zmq.PUSH, curve_server, curve_client)
    auth.stop()

    for name, (selector, (c2s, s2c)) in null_sessions.items():
        if selector is not None:
            seeds.put("ZmtpStreamFuzzTest", "stream", bytes([selector]) + c2s)
        for stream in (c2s, s2c):
            seeds.put("WireFuzzTest", "greeting", stream[:64])
            body = stream[64:]
            seeds.put("FrameDecoderFuzzTest", "v3", b"\x00" + body)
            seeds.put("FrameDecoderFuzzTest", "v3", b"\x1b" + body)   # 7-byte reads, both limits
            for flags, frame in v3_frames(body):
                if flags & 4:
                    seeds.put("WireFuzzTest", "command", frame)
                    if frame.startswith(b"\x05READY"):
                        seeds.put("WireFuzzTest", "metadata", frame[6:])
    seeds.put("ZmtpStreamFuzzTest", "stream", bytes([2]) + plain[0])
    seeds.put("ZmtpStreamFuzzTest", "stream", bytes([3]) + curve[0])
    for c2s, s2c in (plain, curve):
        seeds.put("WireFuzzTest", "greeting", c2s[:64])
        seeds.put("WireFuzzTest", "greeting", s2c[:64])
        for flags, frame in v3_frames(c2s[64:]) + v3_frames(s2c[64:]):
            if flags & 4:
                seeds.put("WireFuzzTest", "command", frame)
    plain_c2s = [f for fl, f in v3_frames(plain[0][64:]) if fl & 4]
    plain_s2c = [f for fl, f in v3_frames(plain[1][64:]) if fl & 4]
    seeds.put("PlainHandshakeFuzzTest", "server", framed(plain_c2s))
    seeds.put("PlainHandshakeFuzzTest", "client", framed(plain_s2c))
    for f in plain_c2s:
        if f.startswith(b"\x08INITIATE"):
            seeds.put("WireFuzzTest", "metadata", f[9:])
    # ZAP replies as RFC 27 has them (libzmq's authenticator speaks over inproc, which cannot be recorded)
    for status, user in ((b"200", b"admin"), (b"400", b""), (b"300", b""), (b"500", b"")):
        seeds.put("PlainHandshakeFuzzTest", "zapReply", framed([b"", b"1.0", b"1", status, b"text", user, b""]))
    seeds.put("PlainHandshakeFuzzTest", "zapReply", framed([b"", b"1.0", b"1", b"200", b"OK", b"admin", b"\x05Color\x00\x00\x00\x03red"]))

    # ZMTP 2.0: a raw PULL greets libzmq's PUSH with revision 1, then an empty identity frame.
    v2_greeting = b"\xff" + b"\x00" * 7 + b"\x01" + b"\x7f" + b"\x01" + b"\x07" + b"\x00\x00"
    v2 = old_revision_stream(ctx, v2_greeting)
    seeds.put("FrameDecoderFuzzTest", "v2", b"\x00" + v2[12:])
    seeds.put("FrameDecoderFuzzTest", "v2", b"\x1a" + v2[12:])
    seeds.put("ZmtpStreamFuzzTest", "stream", bytes([0]) + b"\xff" + b"\x00" * 7 + b"\x01\x7f\x01\x08" + v2[12:])
    # ZMTP 1.0: a raw peer sends an identity frame first (length 1: flags only); libzmq answers in 1.0 framing.
    v1 = old_revision_stream(ctx, b"\x01\x00")
    seeds.put("FrameDecoderFuzzTest", "v1", b"\x00" + v1)
    seeds.put("FrameDecoderFuzzTest", "v1", b"\x1a" + v1[10:])
    seeds.put("ZmtpStreamFuzzTest", "stream", bytes([0]) + b"\x01\x00" + v1[10:])

    for _ in range(3):
        public, secret = zmq.curve_keypair()
        seeds.put("Z85FuzzTest", "decode", public)
        seeds.put("Z85FuzzTest", "decode", secret)
        seeds.put("Z85FuzzTest", "roundTrip", zmq.utils.z85.decode(secret))
    seeds.put("CurveHandshakeFuzzTest", "manInTheMiddle", bytes(256))
    seeds.put("CurveHandshakeFuzzTest", "manInTheMiddle", bytes(range(256)))
    ctx.term()
    print("wrote %d seed files under %s" % (seeds.count, seeds.root))


if __name__ == "__main__":
    main()
