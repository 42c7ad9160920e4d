"""libzmq (through pyzmq) side of the security interop tests.

Usage: zmq_security_peer.py server|client '<json config>'
Prints one line per fact, flushed: "PORT <n>", "REPLY <body> <user-id>", "REQUEST <body> <user-id>",
"EVENT <name> <value>", "KEYS <public z85> <secret z85>". Runs until stdin closes (or, for a
client, until its reply came or its timeout passed); exits on its own after 60 s in any case.
"""
import json
import os
import sys
import threading
import zmq.auth
import zmq.auth.thread
import time

import zmq
from zmq.utils.monitor import recv_monitor_message

EVENT_NAMES = {getattr(zmq, n): n[len("EVENT_"):] for n in dir(zmq)
               if n.startswith("EVENT_") and n not in ("EVENT_ALL", "EVENT_ALL_V1", "EVENT_ALL_V2")}
lock = threading.Lock()


def say(*parts):
    with lock:
        print(" ".join(str(p) for p in parts), flush=True)


def watch(socket):
    monitor = socket.get_monitor_socket()

    def run():
        while True:
            try:
                event = recv_monitor_message(monitor)
            except zmq.ZMQError:
                return
            say("EVENT", EVENT_NAMES.get(event["event"], event["event"]), event["value"])
            if event["event"] == zmq.EVENT_MONITOR_STOPPED:
                return

    threading.Thread(target=run, daemon=True).start()


class AllowedKeys:
    """pyzmq's CURVE credentials provider: the client's public key (Z85) must be one of these."""

    def __init__(self, keys):
        self.keys = set(keys)

    def callback(self, domain, key):
        return key.decode() in self.keys


def authenticator(ctx, auth):
    from zmq.auth.thread import ThreadAuthenticator
    a = ThreadAuthenticator(ctx)
    a.start()
    if "users" in auth:
        a.configure_plain(domain="*", passwords=auth["users"])
    if auth.get("allow_any"):
        a.configure_curve(domain="*", location=zmq.auth.CURVE_ALLOW_ANY)
    elif "curve_keys" in auth:
        # The allowed keys through a callback, not a certificate directory: configure_curve loads
        # a directory on the authenticator's thread later, so nothing could remove it in time,
        # and a killed peer left one behind in /tmp per run.
        a.configure_curve_callback(domain="*", credentials_provider=AllowedKeys(auth["curve_keys"]))
    return a


def configure(socket, cfg):
    if cfg["mechanism"] == "curve":
        if cfg.get("server"):
            socket.curve_server = True
            socket.curve_secretkey = cfg["secret"].encode()
        else:
            socket.curve_serverkey = cfg["server_key"].encode()
            socket.curve_publickey = cfg["public"].encode()
            socket.curve_secretkey = cfg["secret"].encode()
    elif cfg["mechanism"] == "plain":
        if cfg.get("server"):
            socket.plain_server = True
        else:
            socket.plain_username = cfg["username"].encode()
            socket.plain_password = cfg["password"].encode()


def user_id(frame):
    try:
        return frame.get("User-Id") or "-"
    except zmq.ZMQError:
        return "-"


def server(ctx, cfg):
    auth = authenticator(ctx, cfg["auth"]) if cfg.get("auth") else None
    socket = ctx.socket(zmq.ROUTER)
    socket.linger = 0
    cfg["server"] = True
    configure(socket, cfg)
    watch(socket)
    port = socket.bind_to_random_port("tcp://127.0.0.1")
    say("PORT", port)
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)
    while True:
        if dict(poller.poll(100)).get(socket):
            frames = socket.recv_multipart(copy=False)
            body = frames[-1].bytes.decode()
            uid = user_id(frames[-1])
            say("REQUEST", body, uid)
            socket.send_multipart([frames[0].bytes, ("echo:" + body).encode(), uid.encode()])


def client(ctx, cfg):
    socket = ctx.socket(zmq.DEALER)
    socket.linger = 0
    configure(socket, cfg)
    watch(socket)
    socket.connect(cfg["endpoint"])
    socket.send(b"ping")
    if socket.poll(cfg.get("timeout_ms", 10000)):
        frames = socket.recv_multipart(copy=False)
        say("REPLY", frames[0].bytes.decode(), frames[1].bytes.decode() if len(frames) > 1 else "-")
    else:
        say("NOREPLY")


def main():
    role, cfg = sys.argv[1], json.loads(sys.argv[2])
    threading.Timer(60, lambda: os._exit(3)).start()
    ctx = zmq.Context()
    if role == "keys":
        public, secret = zmq.curve_keypair()
        say("KEYS", public.decode(), secret.decode())
        os._exit(0)
    if role == "certs":
        zmq.auth.create_certificates(cfg["directory"], cfg["name"])
        say("DONE")
        os._exit(0)
    worker = threading.Thread(target=server if role == "server" else client, args=(ctx, cfg), daemon=True)
    worker.start()
    if role == "client":
        worker.join(cfg.get("timeout_ms", 10000) / 1000 + 5)
        time.sleep(0.3)  # let the monitor report what happened
        say("DONE")
    sys.stdin.read()  # until the test closes our stdin
    os._exit(0)


if __name__ == "__main__":
    main()
