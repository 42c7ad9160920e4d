"""Idle ZMTP peers for IdleConnectionMemoryTest: opens COUNT raw TCP connections to HOST:PORT, each
sending a NULL ZMTP 3.1 greeting and a READY as a PUSH (then nothing), prints "OPEN <n>", and keeps
them open until a line arrives on stdin. Then, if asked ("libzmq"), a pyzmq PUSH (libzmq) sends one
message, to show the server still serves a well-behaved peer; prints "SENT" and closes everything."""
import socket
import sys

from zmtp_raw import greeting, ready  # beside this script


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    hello = greeting() + ready(b"PUSH")
    conns = []
    for _ in range(count):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(hello)
        conns.append(s)
    print("OPEN %d" % len(conns), flush=True)
    line = sys.stdin.readline().strip()
    if line == "libzmq":
        import zmq
        ctx = zmq.Context()
        push = ctx.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 5000)
        push.connect("tcp://%s:%d" % (host, port))
        push.send(b"hello from libzmq " + zmq.zmq_version().encode())
        push.close()
        ctx.term()
        print("SENT", flush=True)
        sys.stdin.readline()
    for s in conns:
        s.close()
    print("CLOSED", flush=True)


if __name__ == "__main__":
    main()
