"""A plain UDP socket joined to a multicast group on lo, inside the test's namespace: prints "ready",
then for each distinct datagram it gets, "seen <hex> ttl <ttl>", the TTL the sender set (IP_RECVTTL).
Exits once it saw every datagram named on the command line (hex), or after 30 s."""
import socket
import struct
import sys
import time

IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)  # Linux's value; Python does not always name it

group, port, wanted = sys.argv[1], int(sys.argv[2]), set(sys.argv[3:])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("", port))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack("4s4s", socket.inet_aton(group), socket.inet_aton("127.0.0.1")))
s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
s.settimeout(1)
print("ready", flush=True)
seen = set()
deadline = time.monotonic() + 30
while not wanted <= seen and time.monotonic() < deadline:
    try:
        data, ancillary, _, _ = s.recvmsg(9000, socket.CMSG_SPACE(4))
    except socket.timeout:
        continue
    key = data.hex()
    if key in seen:
        continue
    seen.add(key)
    ttl = None
    for level, kind, value in ancillary:
        if level == socket.IPPROTO_IP and kind == socket.IP_TTL:
            ttl = struct.unpack("i", value[:4])[0]
    print("seen", key, "ttl", ttl, flush=True)
print("done", flush=True)
