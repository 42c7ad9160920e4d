"""The Python side of dev.zmq.transport.MulticastLoopTest, run inside a network namespace.

udp-recv INTERFACE GROUP PORT: a plain UDP socket joined to GROUP on INTERFACE (its IPv4 address; for an IPv6
  group its name); prints READY, then GOT BODY for each datagram in libzmq's RADIO format ([group length][group][body]).
udp-send INTERFACE GROUP PORT TAG: prints READY, then sends RADIO-format datagrams, group "g", body TAG-i,
  out of INTERFACE every 20 ms until "stop" or EOF on stdin; prints STOPPED n.
pgm-sub ENDPOINT: a libzmq SUB subscribed to everything; prints READY, then GOT BODY for each message.
pgm-pub ENDPOINT TAG LOOP: a libzmq PUB with MULTICAST_LOOP=LOOP; prints READY, then sends TAG-i every
  20 ms until "stop" or EOF; prints STOPPED n.
"""
import socket
import struct
import sys
import threading

import zmq


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def stop_on_command():
    stopped = threading.Event()

    def read():
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        stopped.set()

    threading.Thread(target=read, daemon=True).start()
    return stopped


def udp_socket(group):
    return socket.socket(socket.AF_INET6 if ":" in group else socket.AF_INET, socket.SOCK_DGRAM)


def udp_recv(interface, group, port):
    s = udp_socket(group)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    if ":" in group:
        mreq = socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", socket.if_nametoindex(interface))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton(interface))
    say("READY")
    while True:
        data = s.recv(9000)
        if data:
            say("GOT " + data[1 + data[0]:].decode("ascii", "replace"))


def udp_send(interface, group, port, tag):
    s = udp_socket(group)
    if ":" in group:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex(interface))
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
    stopped = stop_on_command()
    say("READY")
    n = 0
    while not stopped.wait(0.02):
        s.sendto(b"\x01g" + ("%s-%d" % (tag, n)).encode(), (group, port))
        n += 1
    say("STOPPED %d" % n)


def pgm_sub(endpoint):
    ctx = zmq.Context()
    s = ctx.socket(zmq.SUB)
    s.setsockopt(zmq.SUBSCRIBE, b"")
    s.connect(endpoint)
    say("READY")
    while True:
        say("GOT " + s.recv().decode("ascii", "replace"))


def pgm_pub(endpoint, tag, loop):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUB)
    s.setsockopt(zmq.MULTICAST_LOOP, loop)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(endpoint)
    stopped = stop_on_command()
    say("READY")
    n = 0
    while not stopped.wait(0.02):
        s.send(("%s-%d" % (tag, n)).encode())
        n += 1
    say("STOPPED %d" % n)
    s.close()
    ctx.term()


if __name__ == "__main__":
    role, args = sys.argv[1], sys.argv[2:]
    if role == "udp-recv":
        udp_recv(args[0], args[1], int(args[2]))
    elif role == "udp-send":
        udp_send(args[0], args[1], int(args[2]), args[3])
    elif role == "pgm-sub":
        pgm_sub(args[0])
    elif role == "pgm-pub":
        pgm_pub(args[0], args[1], int(args[2]))
    else:
        raise SystemExit("unknown role " + role)
