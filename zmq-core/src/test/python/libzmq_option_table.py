"""Writes libzmq's socket option table: for every socket type this project builds and every
option libzmq knows, what getsockopt answers on a fresh socket and whether setsockopt accepts a
value. LibzmqOptionTableTest asserts zmq-core against the TSV this writes.

Run with the system interpreter (Debian's python3-zmq, libzmq 4.3.4):

    /usr/bin/python3 zmq-core/src/test/python/libzmq_option_table.py \
        > zmq-core/src/test/resources/conformance/libzmq-option-table.tsv

Columns: type, option, get, set-value, set.
  get        the value read on a fresh socket (integers in decimal, byte strings as x<hex>),
             or !<ERRNO> when getsockopt fails (EINVAL: libzmq does not read it on that type)
  set-value  the value written: the one read, or a sample when the option cannot be read
  set        ok, or !<ERRNO> when setsockopt refuses it
Each cell uses a new socket, so no option influences another. Only libzmq 4.3's stable options
are listed: the draft ones (ids 93 and up; Debian builds libzmq with them) and the context option
BLOCKY are left out. FD's value is a file descriptor number, written as "fd".
"""
import sys
import zmq

TYPES = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB"]
# Values written to options that cannot be read back (write-only in libzmq).
SAMPLES = {
    "SUBSCRIBE": b"a", "UNSUBSCRIBE": b"a", "CONNECT_ROUTING_ID": b"peer", "XPUB_WELCOME_MSG": b"hi",
    "TCP_ACCEPT_FILTER": b"127.0.0.1", "SOCKS_USERNAME": b"u", "SOCKS_PASSWORD": b"p",
    "METADATA": b"X-a:b", "HELLO_MSG": b"hi", "DISCONNECT_MSG": b"bye",
    # libzmq reads CURVE keys only into a 32- or 41-byte buffer, which pyzmq does not pass.
    "FD": -1, "CURVE_PUBLICKEY": bytes(range(32)), "CURVE_SECRETKEY": bytes(range(32)), "CURVE_SERVERKEY": bytes(range(32)),
}
FIRST_DRAFT_OPTION = 93  # ZMQ_ZAP_ENFORCE_DOMAIN, the first option under ZMQ_BUILD_DRAFT_API in zmq.h 4.3.4
BYTES_OPTIONS = set(SAMPLES) | {"ROUTING_ID", "LAST_ENDPOINT", "PLAIN_USERNAME", "PLAIN_PASSWORD", "ZAP_DOMAIN",
                                "CURVE_PUBLICKEY", "CURVE_SECRETKEY", "CURVE_SERVERKEY", "SOCKS_PROXY",
                                "GSSAPI_PRINCIPAL", "GSSAPI_SERVICE_PRINCIPAL", "BINDTODEVICE"}
ERRNO = {getattr(zmq, n): n for n in ("EINVAL", "ENOTSUP", "EFAULT", "ENOTSOCK", "ETERM", "EOPNOTSUPP")
         if hasattr(zmq, n)}


def render(value):
    if isinstance(value, bytes):
        return "x" + value.hex()
    return str(int(value))


def error(e):
    return "!" + ERRNO.get(e.errno, "E%d" % e.errno)


def probe(ctx, type_name, option):
    opt = getattr(zmq, option)
    s = ctx.socket(getattr(zmq, type_name))
    try:
        try:
            value = s.getsockopt(opt)
            got = "fd" if option == "FD" else render(value)
        except zmq.ZMQError as e:
            value, got = None, error(e)
        if value is None or option in SAMPLES:
            value = SAMPLES.get(option, b"x" if option in BYTES_OPTIONS else 1)
        try:
            s.setsockopt(opt, value)
            accepted = "ok"
        except zmq.ZMQError as e:
            accepted = error(e)
        return got, render(value), accepted
    finally:
        s.close(linger=0)


def main():
    ctx = zmq.Context()
    names = sorted((o.name for o in zmq.SocketOption
                    if o.value < FIRST_DRAFT_OPTION and o.name not in ("HWM", "BLOCKY")), key=lambda n: getattr(zmq, n))
    rows = [(t, option) + probe(ctx, t, option) for option in names for t in TYPES]
    ctx.term()
    out = sys.stdout
    out.write("# libzmq %s (pyzmq %s): socket option table, written by libzmq_option_table.py\n"
              % (zmq.zmq_version(), zmq.__version__))
    out.write("type\toption\tget\tset-value\tset\n")
    for row in rows:
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
