# A plain Python socket client of a STREAM server: connects to host port (argv), sends "ping",
# reads until it has "pong", prints "got pong", then reads to the end of the stream (the server
# closes the connection) and prints "eof".
import socket
import sys

c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
c.sendall(b"ping")
got = b""
while got != b"pong":
    chunk = c.recv(4 - len(got))
    if not chunk:
        print("closed early after " + repr(got), flush=True)
        sys.exit(1)
    got += chunk
print("got pong", flush=True)
rest = c.recv(100)
print("eof" if rest == b"" else "unexpected " + repr(rest), flush=True)
c.close()
