#!/usr/bin/python3
"""Reconnect-storm benchmark driver (run through benchmarks/reconnect_storm.sh).

N DEALER sockets in one client process (ours: dev.zmq.perf.StormClients in a JVM; libzmq: pyzmq in a
Python process) connect to one ROUTER that this driver binds (always libzmq, so the binder is the same
for both). The binder is then closed and bound again WARMUP times unmeasured (so the JVM's JIT has
compiled the reconnect path; STORM_WARMUP=0 measures the cold start), then CYCLES times (down DOWN_S seconds, then up until
every client has reconnected and UP_S seconds more). While it is down every client retries each
RECONNECT_IVL (100 ms by default, on both implementations), which is the storm.

Measured from outside, from /proc/PID/stat (utime + stime of the client process):
  idle      CPU while all N are connected and nothing happens (the baseline: timers, JIT, GC)
  down      CPU while the binder is absent (refused reconnects every 100 ms per client)
  storm     CPU over the whole bouncing phase (down windows, reconnects and handshakes)
  reconnect time from the re-bind until the binder saw every handshake again (median of the cycles)
CPU is given in % of one core. The machine's load (uptime) is printed with each row: on a shared
machine the figures move with it.
"""
import os
import socket
import statistics
import subprocess
import sys
import time

import zmq
from zmq.utils.monitor import recv_monitor_message

CLIENTS = int(os.environ.get("STORM_CLIENTS", "200"))
CYCLES = int(os.environ.get("STORM_CYCLES", "5"))
WARMUP = int(os.environ.get("STORM_WARMUP", "3"))
DOWN_S = float(os.environ.get("STORM_DOWN", "3"))
UP_S = float(os.environ.get("STORM_UP", "1"))
IDLE_S = float(os.environ.get("STORM_IDLE", "5"))
IMPLS = os.environ.get("STORM_IMPLS", "ours libzmq").split()
JAR = os.environ.get("STORM_JAR")
JAVA_OPTS = os.environ.get("STORM_JAVA_OPTS", "-Xmx256m").split()
TICK = os.sysconf("SC_CLK_TCK")

LIBZMQ_CLIENTS = r"""
import sys, zmq
ctx = zmq.Context()
socks = []
for i in range(int(sys.argv[2])):
    s = ctx.socket(zmq.DEALER)
    s.linger = 0
    s.connect(sys.argv[1])
    socks.append(s)
print("READY", flush=True)
for line in sys.stdin:
    if line.strip() == "quit":
        break
for s in socks:
    s.close()
ctx.term()
"""


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Binder:
    """A libzmq ROUTER on a fixed port that counts the handshakes it completed."""

    def __init__(self, ctx, endpoint):
        self.ctx = ctx
        self.endpoint = endpoint
        self.sock = None
        self.monitor = None
        self.handshakes = 0

    def up(self):
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.linger = 0
        self.monitor = self.sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
        self.sock.bind(self.endpoint)
        self.handshakes = 0

    def down(self):
        self.sock.disable_monitor()
        self.monitor.close(linger=0)
        self.sock.close(linger=0)
        self.sock = None

    def wait_all(self, n, timeout):
        deadline = time.monotonic() + timeout
        while self.handshakes < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.monitor.poll(int(left * 1000)):
                event = recv_monitor_message(self.monitor)
                if event["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                    self.handshakes += 1
        return True


def bounce(binder, impl):
    binder.down()
    time.sleep(DOWN_S)
    binder.up()
    if not binder.wait_all(CLIENTS, 120):
        raise SystemExit(f"{impl}: only {binder.handshakes} of {CLIENTS} reconnected")
    time.sleep(UP_S)


def start_clients(impl, endpoint):
    if impl == "ours":
        cmd = ["java", *JAVA_OPTS, "-cp", JAR, "dev.zmq.perf.StormClients", endpoint, str(CLIENTS)]
    else:
        cmd = ["/usr/bin/python3", "-c", LIBZMQ_CLIENTS, endpoint, str(CLIENTS)]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()
    if line != "READY":
        raise SystemExit(f"{impl} clients did not start: {line!r}")
    return p


def run(impl):
    ctx = zmq.Context()
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    binder = Binder(ctx, endpoint)
    binder.up()
    clients = start_clients(impl, endpoint)
    pid = clients.pid
    try:
        if not binder.wait_all(CLIENTS, 120):
            raise SystemExit(f"{impl}: only {binder.handshakes} of {CLIENTS} connected")
        for _ in range(WARMUP):
            bounce(binder, impl)
        time.sleep(2)  # let start-up work (JIT, class loading) settle before the baseline
        c0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(IDLE_S)
        idle = (cpu_seconds(pid) - c0) / (time.monotonic() - t0)
        storm_c0, storm_t0 = cpu_seconds(pid), time.monotonic()
        down_cpu = down_wall = 0.0
        reconnects = []
        for _ in range(CYCLES):
            binder.down()
            d0, dt0 = cpu_seconds(pid), time.monotonic()
            time.sleep(DOWN_S)
            down_cpu += cpu_seconds(pid) - d0
            down_wall += time.monotonic() - dt0
            binder.up()
            r0 = time.monotonic()
            if not binder.wait_all(CLIENTS, 120):
                raise SystemExit(f"{impl}: only {binder.handshakes} of {CLIENTS} reconnected")
            reconnects.append(time.monotonic() - r0)
            time.sleep(UP_S)
        storm = (cpu_seconds(pid) - storm_c0) / (time.monotonic() - storm_t0)
        down = down_cpu / down_wall
        per_cycle = (cpu_seconds(pid) - storm_c0) / CYCLES
        return (impl, idle * 100, down * 100, storm * 100, per_cycle, statistics.median(reconnects) * 1000, load())
    finally:
        clients.stdin.write("quit\n")
        clients.stdin.flush()
        try:
            clients.wait(30)
        except subprocess.TimeoutExpired:
            clients.kill()
        if binder.sock is not None:
            binder.down()
        ctx.term()


def main():
    print(f"{CLIENTS} DEALER clients in one process, binder (libzmq ROUTER) down {DOWN_S} s / up, {WARMUP} times unmeasured, "
          f"then {CYCLES} times measured; "
          f"libzmq {zmq.zmq_version()}")
    print()
    print("| clients | idle CPU % | binder down CPU % | storm phase CPU % | CPU s per cycle | reconnect ms (median) | load |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for impl in IMPLS:
        r = run(impl)
        print(f"| {r[0]} | {r[1]:.1f} | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.2f} | {r[5]:.0f} | {r[6]} |", flush=True)


if __name__ == "__main__":
    main()
