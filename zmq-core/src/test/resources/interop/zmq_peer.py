"""libzmq peer for the Java interop tests, driven over stdin/stdout.

One command per line in, exactly one response line out:

    hello                              -> ok <libzmq version> <pyzmq version>
    new <TYPE>                         -> ok <sid>
    set <sid> <OPTION> <int | xHEX>    -> ok
    bind <sid> <endpoint>              -> ok <endpoint actually bound>
    connect <sid> <endpoint>           -> ok
    send <sid> <timeout-ms> <frame> ...              -> ok
    sendall <sid> <timeout-ms> <frame> ... | <frame> ... | ...   -> ok <count>
    recv <sid> <timeout-ms>            -> ok <frame> ...
    recvall <sid> <count> <timeout-ms> -> ok <frame> ... | <frame> ... | ...
    close <sid>                        -> ok
    exit                               -> ok (then the process exits)

A frame is written 'x' followed by its bytes in hex ('x' alone is an empty frame).
Failures answer 'err <ERRNO-NAME> <text>', e.g. 'err EAGAIN ...' when a timeout expires
or 'err EHOSTUNREACH ...' for an unroutable ROUTER_MANDATORY send.

The process never hangs: every blocking call has a timeout, it exits when stdin closes
(the Java side died or closed it), and it exits on its own after IDLE_SECONDS without a command.
"""
import signal
import sys
import traceback

try:
    import zmq
except ImportError as e:  # reported by the Java side with the fix
    sys.stderr.write("pyzmq is not importable by %s: %s\n" % (sys.executable, e))
    sys.exit(3)

IDLE_SECONDS = 300

ERRNO_NAMES = {}
for _name in ("EAGAIN", "EHOSTUNREACH", "EFSM", "ETERM", "ENOTSOCK", "ENOTSUP", "EINVAL",
              "EPROTONOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENOENT", "EMSGSIZE"):
    if hasattr(zmq, _name):
        ERRNO_NAMES[getattr(zmq, _name)] = _name


class CommandError(Exception):
    def __init__(self, name, text):
        super().__init__(text)
        self.name = name


def decode_frame(token):
    if not token.startswith("x"):
        raise CommandError("EINVAL", "bad frame token %r" % token[:40])
    return bytes.fromhex(token[1:])


def encode_frames(frames):
    return " ".join("x" + f.hex() for f in frames)


def split_messages(tokens):
    messages, current = [], []
    for t in tokens:
        if t == "|":
            messages.append(current)
            current = []
        else:
            current.append(decode_frame(t))
    messages.append(current)
    return [m for m in messages if m]


class Peer:
    def __init__(self):
        self.ctx = zmq.Context()
        self.sockets = {}
        self.next_id = 1

    def sock(self, sid):
        s = self.sockets.get(sid)
        if s is None:
            raise CommandError("ENOTSOCK", "no socket %s" % sid)
        return s

    def handle(self, args):
        cmd = args[0]
        if cmd == "hello":
            return "%s %s" % (zmq.zmq_version(), zmq.__version__)
        if cmd == "new":
            s = self.ctx.socket(getattr(zmq, args[1]))
            s.setsockopt(zmq.LINGER, 0)
            sid = str(self.next_id)
            self.next_id += 1
            self.sockets[sid] = s
            return sid
        s = self.sock(args[1])
        if cmd == "set":
            raw = args[3]
            value = decode_frame(raw) if raw.startswith("x") else int(raw)
            s.setsockopt(getattr(zmq, args[2]), value)
            return ""
        if cmd == "bind":
            s.bind(args[2])
            return s.getsockopt(zmq.LAST_ENDPOINT).decode()
        if cmd == "connect":
            s.connect(args[2])
            return ""
        if cmd == "send":
            s.setsockopt(zmq.SNDTIMEO, int(args[2]))
            s.send_multipart([decode_frame(t) for t in args[3:]])
            return ""
        if cmd == "sendall":
            s.setsockopt(zmq.SNDTIMEO, int(args[2]))
            messages = split_messages(args[3:])
            for m in messages:
                s.send_multipart(m)
            return str(len(messages))
        if cmd == "recv":
            s.setsockopt(zmq.RCVTIMEO, int(args[2]))
            return encode_frames(s.recv_multipart())
        if cmd == "recvall":
            s.setsockopt(zmq.RCVTIMEO, int(args[3]))
            received = []
            for _ in range(int(args[2])):
                try:
                    received.append(encode_frames(s.recv_multipart()))
                except zmq.Again:
                    raise CommandError("EAGAIN", "received only %d of %s messages" % (len(received), args[2]))
            return " | ".join(received)
        if cmd == "close":
            del self.sockets[args[1]]
            s.close(linger=0)
            return ""
        raise CommandError("EINVAL", "unknown command %r" % cmd)

    def shutdown(self):
        for s in self.sockets.values():
            s.close(linger=0)
        self.ctx.term()


def main():
    peer = Peer()
    out = sys.stdout
    try:
        while True:
            signal.alarm(IDLE_SECONDS)  # SIGALRM's default action ends the process
            line = sys.stdin.readline()
            if not line:
                return
            args = line.split()
            if not args:
                continue
            if args[0] == "exit":
                out.write("ok\n")
                out.flush()
                return
            try:
                result = peer.handle(args)
                reply = "ok " + result if result else "ok"
            except CommandError as e:
                reply = "err %s %s" % (e.name, e)
            except zmq.ZMQError as e:
                reply = "err %s %s" % (ERRNO_NAMES.get(e.errno, "E%d" % e.errno), e)
            except Exception:  # a bug in this script or in the Java side's command
                trace = traceback.format_exc()
                sys.stderr.write(trace)
                reply = "err EXCEPTION " + " | ".join(trace.strip().splitlines())
            out.write(reply.replace("\n", " ").encode("ascii", "backslashreplace").decode("ascii") + "\n")
            out.flush()
    finally:
        peer.shutdown()


if __name__ == "__main__":
    main()
