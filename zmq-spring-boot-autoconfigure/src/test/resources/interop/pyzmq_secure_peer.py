"""A libzmq peer (through pyzmq) with PLAIN or CURVE, for the starter's security tests.

Usage: pyzmq_secure_peer.py MODE '<json>'; prints one line per fact, flushed.

  certs   {"directory": D, "name": N}     zmq.auth.create_certificates(D, N); prints "PUBLIC <z85>"
  client  {"endpoint": E, "requests": [..], "timeout_ms": T, "curve": {..} | "plain": {..}}
          a DEALER sends each request as [b"", body] (what REP and ROUTER listeners expect) and prints
          "REPLY <body>" or, when nothing came within T ms, "NOREPLY"
  server  {"curve": {..} | "plain": {}, "users": {name: password}, "allow_any": bool}
          a REP bound to tcp://127.0.0.1:*; prints "ENDPOINT <endpoint>", then answers each request
          with b"py:<body>:<User-Id>" until killed (or 60 s)

curve: {"key_file": path of a secret certificate} or {"public": z85, "secret": z85};
       a client adds {"server_key": z85} or {"server_key_file": path}.
plain: {"username": u, "password": p} for a client, {} for a server.
"""
import json
import os
import sys
import threading

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator


def say(*parts):
    print(" ".join(str(p) for p in parts), flush=True)


def own_keys(curve):
    if "key_file" in curve:
        return zmq.auth.load_certificate(curve["key_file"])
    return curve["public"].encode(), curve["secret"].encode()


def configure_client(socket, cfg):
    if "curve" in cfg:
        curve = cfg["curve"]
        socket.curve_publickey, socket.curve_secretkey = own_keys(curve)
        if "server_key_file" in curve:
            socket.curve_serverkey = zmq.auth.load_certificate(curve["server_key_file"])[0]
        else:
            socket.curve_serverkey = curve["server_key"].encode()
    elif "plain" in cfg:
        socket.plain_username = cfg["plain"]["username"].encode()
        socket.plain_password = cfg["plain"]["password"].encode()


def client(ctx, cfg):
    socket = ctx.socket(zmq.DEALER)
    socket.linger = 0
    configure_client(socket, cfg)
    socket.connect(cfg["endpoint"])
    timeout = cfg.get("timeout_ms", 10000)
    for body in cfg["requests"]:
        socket.send_multipart([b"", body.encode()])
        if socket.poll(timeout):
            say("REPLY", socket.recv_multipart()[-1].decode())
        else:
            say("NOREPLY")
    socket.close()


def server(ctx, cfg):
    auth = None
    if "users" in cfg or cfg.get("allow_any"):
        auth = ThreadAuthenticator(ctx)
        auth.start()
        if "users" in cfg:
            auth.configure_plain(domain="*", passwords=cfg["users"])
        if cfg.get("allow_any"):
            auth.configure_curve(domain="*", location=zmq.auth.CURVE_ALLOW_ANY)
    socket = ctx.socket(zmq.REP)
    socket.linger = 0
    if "curve" in cfg:
        socket.curve_publickey, socket.curve_secretkey = own_keys(cfg["curve"])
        socket.curve_server = True
    elif "plain" in cfg:
        socket.plain_server = True
    socket.bind("tcp://127.0.0.1:*")
    say("ENDPOINT", socket.getsockopt_string(zmq.LAST_ENDPOINT))
    while True:
        frame = socket.recv(copy=False)
        try:
            user = frame.get("User-Id") or "-"
        except zmq.ZMQError:
            user = "-"
        socket.send(("py:%s:%s" % (frame.bytes.decode(), user)).encode())


def main():
    mode, cfg = sys.argv[1], json.loads(sys.argv[2])
    threading.Timer(60, lambda: os._exit(3)).start()  # never outlive a test run
    ctx = zmq.Context()
    if mode == "certs":
        public_file, _ = zmq.auth.create_certificates(cfg["directory"], cfg["name"])
        say("PUBLIC", zmq.auth.load_certificate(public_file)[0].decode())
    elif mode == "client":
        client(ctx, cfg)
    elif mode == "server":
        server(ctx, cfg)
    else:
        print("unknown mode " + mode, file=sys.stderr, flush=True)
        os._exit(2)
    os._exit(0)


if __name__ == "__main__":
    main()
