"""ZMTP 3.x bytes for Python peers that speak the protocol without libzmq, shared by idle_clients.py
(IdleConnectionMemoryTest) and benchmarks/scale.py: a NULL greeting and a READY with Socket-Type."""
import struct


def greeting(minor=1):
    """The 64-byte greeting of ZMTP 3.<minor> with the NULL mechanism, as-server 0. The signature is
    libzmq's: 0xFF, a length of 1 in the 8 bytes a ZMTP 1.0 peer reads as a frame length, 0x7F."""
    g = bytearray(64)
    g[0] = 0xFF
    g[8] = 1
    g[9] = 0x7F
    g[10] = 3
    g[11] = minor
    g[12:16] = b"NULL"
    return bytes(g)


def ready(socket_type):
    """A READY command (short command frame) with the Socket-Type property only."""
    prop = bytes([11]) + b"Socket-Type" + struct.pack(">I", len(socket_type)) + socket_type
    body = bytes([5]) + b"READY" + prop
    return bytes([0x04, len(body)]) + body
