"""Conformance scenarios run on libzmq (pyzmq), for LibzmqConformanceTest, which runs the same
steps on zmq-core and compares what both print, line by line.

    /usr/bin/python3 libzmq_scenarios.py <scenario> [argument]

Each scenario prints one line per observation ("name value"; frames in hex as x<hex>, several
frames joined by commas) and exits 0; any failure prints a traceback and exits 1. Every blocking
call has a timeout, and the process gives up after 60 s (SIGALRM).
"""
import signal
import sys

import zmq

WAIT = 10000  # ms: the longest any single step waits for something that must happen


def frames(msg):
    return ",".join("x" + f.hex() for f in msg)


def events(sock, flag, timeout):
    return "1" if sock.poll(timeout, flag) & flag else "0"


def recv_or_none(sock, timeout):
    return frames(sock.recv_multipart()) if sock.poll(timeout, zmq.POLLIN) else "none"


def req_stray(ctx, out):
    """A message the REQ's peer sends after the reply is never taken for the next reply."""
    router = ctx.socket(zmq.ROUTER)
    router.bind("inproc://req-stray")
    req = ctx.socket(zmq.REQ)
    req.connect("inproc://req-stray")
    req.send(b"q1")
    rid, empty, body = router.recv_multipart()
    out("router-got", frames([empty, body]))
    router.send_multipart([rid, b"", b"a1"])
    router.send_multipart([rid, b"", b"stray"])  # inproc: in REQ's pipe once send returns
    out("reply-1", frames(req.recv_multipart()))
    req.send(b"q2")
    rid, empty, body = router.recv_multipart()
    out("router-got", frames([empty, body]))
    router.send_multipart([rid, b"", b"a2"])
    out("reply-2", recv_or_none(req, WAIT))


def req_relaxed_late_reply(ctx, out, transport):
    """With REQ_RELAXED, the reply to an earlier request is never returned for the new one."""
    router = ctx.socket(zmq.ROUTER)
    endpoint = router.bind_to_random_port("tcp://127.0.0.1") if transport == "tcp" else None
    endpoint = "tcp://127.0.0.1:%d" % endpoint if transport == "tcp" else "inproc://req-relaxed"
    if transport != "tcp":
        router.bind(endpoint)
    req = ctx.socket(zmq.REQ)
    req.setsockopt(zmq.REQ_RELAXED, 1)
    req.connect(endpoint)
    req.send(b"q1")
    rid, empty, body = router.recv_multipart()
    router.send_multipart([rid, b"", b"a1"])
    out("late-reply-arrived", events(req, zmq.POLLIN, WAIT))
    req.send(b"q2")
    rid, empty, body = router.recv_multipart()
    out("router-got", frames([empty, body]))
    router.send_multipart([rid, b"", b"a2"])
    out("reply", recv_or_none(req, WAIT))
    out("then", recv_or_none(req, 0))


def router_mandatory_pollout(ctx, out):
    """ROUTER_MANDATORY: POLLOUT only while some peer can take a message."""
    router = ctx.socket(zmq.ROUTER)
    router.setsockopt(zmq.ROUTER_MANDATORY, 1)
    router.setsockopt(zmq.SNDHWM, 2)
    router.bind("inproc://mandatory")
    out("pollout-no-peer", events(router, zmq.POLLOUT, 0))
    plain = ctx.socket(zmq.ROUTER)
    out("pollout-without-mandatory", events(plain, zmq.POLLOUT, 0))
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.ROUTING_ID, b"d")
    dealer.setsockopt(zmq.RCVHWM, 2)
    dealer.connect("inproc://mandatory")
    dealer.send(b"hello")  # the ROUTER learns the peer
    out("router-got", frames(router.recv_multipart()))
    out("pollout-peer", events(router, zmq.POLLOUT, WAIT))
    sent = 0
    while sent < 100000:
        try:
            router.send_multipart([b"d", b"m%d" % sent], zmq.NOBLOCK)
            sent += 1
        except zmq.Again:
            break
    out("filled", "1" if 0 < sent < 100000 else "0")
    out("pollout-peer-full", events(router, zmq.POLLOUT, 0))
    got = [dealer.recv_multipart() for _ in range(sent)]
    out("dealer-got-first", frames(got[0]))
    out("pollout-after-read", events(router, zmq.POLLOUT, WAIT))
    try:
        router.send_multipart([b"nobody", b"x"], zmq.NOBLOCK)
        out("send-unknown", "ok")
    except zmq.ZMQError as e:
        out("send-unknown", "EHOSTUNREACH" if e.errno == zmq.EHOSTUNREACH else "errno %d" % e.errno)


def xsub_receives_all(ctx, out):
    """XSUB delivers everything that arrives: the welcome message, and what was under way at unsubscribe."""
    xpub = ctx.socket(zmq.XPUB)
    xpub.setsockopt(zmq.XPUB_WELCOME_MSG, b"welcome")
    xpub.bind("inproc://xsub-all")
    xsub = ctx.socket(zmq.XSUB)
    xsub.connect("inproc://xsub-all")
    xsub.send(b"\x01a")
    out("xpub-got", frames(xpub.recv_multipart()))
    xpub.send(b"a1")
    xpub.send(b"a2")
    xsub.send(b"\x00a")  # unsubscribe while a1 and a2 are queued
    out("xpub-got", recv_or_none(xpub, WAIT))
    for i in range(3):
        out("xsub-got", recv_or_none(xsub, WAIT))
    out("xsub-then", recv_or_none(xsub, 0))


def router_handover(ctx, out, option_type):
    """ROUTER_HANDOVER: a new connection with a known routing id takes it over."""
    router = ctx.socket(getattr(zmq, option_type))
    router.setsockopt(zmq.ROUTER_HANDOVER, 1)
    router.setsockopt(zmq.ROUTER_MANDATORY, 1)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    endpoint = "tcp://127.0.0.1:%d" % port
    if option_type == "REP":
        out("rep-accepts", "ok")
        return
    a = ctx.socket(zmq.DEALER)
    a.setsockopt(zmq.ROUTING_ID, b"x")
    a.connect(endpoint)
    a.send(b"from-a")
    out("router-got", frames(router.recv_multipart()))
    b = ctx.socket(zmq.DEALER)
    b.setsockopt(zmq.ROUTING_ID, b"x")
    b.connect(endpoint)
    b.send(b"from-b")
    out("router-got", frames(router.recv_multipart()))
    router.send_multipart([b"x", b"to-x"])
    out("b-got", recv_or_none(b, WAIT))
    out("a-got", recv_or_none(a, 200))


def default_linger(ctx, out):
    for name in ("PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB"):
        s = ctx.socket(getattr(zmq, name))
        out("linger-" + name, str(s.getsockopt(zmq.LINGER)))
        s.close(linger=0)


def linger_after_close(ctx, out, transport, where):
    """Default LINGER: what a connecting PUSH queued while its peer was down is delivered when it comes back."""
    push = ctx.socket(zmq.PUSH)
    push.connect(where)
    for i in range(3):
        push.send(b"m%d" % i)
    push.close()  # default LINGER (-1)
    pull = ctx.socket(zmq.PULL)
    pull.bind(where)
    for i in range(3):
        out("pull-got", recv_or_none(pull, WAIT))
    out("pull-then", recv_or_none(pull, 0))


def connect_routing_id(ctx, out):
    """CONNECT_ROUTING_ID: the ROUTER names the peer of its next connect itself."""
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.ROUTING_ID, b"announced")
    port = dealer.bind_to_random_port("tcp://127.0.0.1")
    router = ctx.socket(zmq.ROUTER)
    router.setsockopt(zmq.CONNECT_ROUTING_ID, b"chosen")
    router.connect("tcp://127.0.0.1:%d" % port)
    dealer.send(b"hello")
    out("router-got", frames(router.recv_multipart()))
    router.send_multipart([b"chosen", b"hi"])
    out("dealer-got", recv_or_none(dealer, WAIT))


def probe_router(ctx, out):
    """PROBE_ROUTER: a new peer gets an empty message at once, so a ROUTER learns its routing id."""
    router = ctx.socket(zmq.ROUTER)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.ROUTING_ID, b"d")
    dealer.setsockopt(zmq.PROBE_ROUTER, 1)
    dealer.connect("tcp://127.0.0.1:%d" % port)
    out("router-got", recv_or_none(router, WAIT))
    router.send_multipart([b"d", b"welcome"])
    out("dealer-got", recv_or_none(dealer, WAIT))


def invert_matching(ctx, out):
    """INVERT_MATCHING on both sides: a message goes to the subscribers it does not match."""
    xpub = ctx.socket(zmq.XPUB)
    xpub.setsockopt(zmq.INVERT_MATCHING, 1)
    xpub.bind("inproc://invert")
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.INVERT_MATCHING, 1)
    sub.setsockopt(zmq.SUBSCRIBE, b"a")
    sub.connect("inproc://invert")
    out("xpub-got", recv_or_none(xpub, WAIT))
    for topic in (b"a1", b"b1", b"a2", b"c1"):
        xpub.send(topic)
    out("sub-got", recv_or_none(sub, WAIT))
    out("sub-got", recv_or_none(sub, WAIT))
    out("sub-then", recv_or_none(sub, 0))


def main():
    signal.alarm(60)
    name, args = sys.argv[1], sys.argv[2:]
    ctx = zmq.Context()

    def out(key, value):
        sys.stdout.write("%s %s\n" % (key, value))
        sys.stdout.flush()

    scenario = {
        "req-stray": req_stray,
        "req-relaxed-late-reply": req_relaxed_late_reply,
        "router-mandatory-pollout": router_mandatory_pollout,
        "xsub-receives-all": xsub_receives_all,
        "router-handover": router_handover,
        "default-linger": default_linger,
        "linger-after-close": linger_after_close,
        "connect-routing-id": connect_routing_id,
        "probe-router": probe_router,
        "invert-matching": invert_matching,
    }[name]
    scenario(ctx, out, *args)
    ctx.destroy(linger=0) if name != "linger-after-close" else ctx.term()


if __name__ == "__main__":
    main()
