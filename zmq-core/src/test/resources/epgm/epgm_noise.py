"""Sends junk to the epgm group until killed: random datagrams, PGM headers with bad checksums or
truncated bodies, and well-formed ODATA from a forged source whose messages are on topic "zzz"."""
import os, random, socket, struct, sys, time

group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    total = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    v = ~total & 0xFFFF
    return v or 0xFFFF

def pgm(ptype, body, tsdu_len, gsi=b"\x66\x66\x66\x66\x66\x66", sport=4242):
    hdr = struct.pack("!HHBBH6sH", sport, port, ptype, 0, 0, gsi, tsdu_len)
    pkt = bytearray(hdr + body)
    struct.pack_into("!H", pkt, 6, csum(bytes(pkt)))
    return bytes(pkt)

sqn = 0
print("READY", flush=True)
while True:
    kind = random.randrange(4)
    if kind == 0:
        data = os.urandom(random.randrange(0, 1500))
    elif kind == 1:
        data = bytearray(pgm(4, struct.pack("!II", sqn, 0) + b"\0\0\x04\0zzz", 7))
        data[-1] ^= 0x55  # checksum no longer matches
        data = bytes(data)
    elif kind == 2:
        data = pgm(random.choice([0, 4, 5, 8, 10, 12]), os.urandom(random.randrange(0, 12)), 0)[:random.randrange(16, 30)]
    else:
        tsdu = b"\0\0" + b"\x04\0zzz"  # offset 0, one message "zzz"
        data = pgm(4, struct.pack("!II", sqn, 0) + tsdu, len(tsdu))
        sqn += 1
    try:
        s.sendto(data, (group, port))
    except OSError:
        pass
    time.sleep(0.001)
