package dev.zmq.testkit.dns;

import dev.zmq.testkit.Await;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: Debian's dnsmasq, in the foreground, on a loopback address and
 * port of its own, answering only from a hosts file the test rewrites ({@link #publish}); SIGHUP
 * makes it read the file again. Nothing is forwarded upstream.
 */
public final class Dnsmasq implements AutoCloseable {
    private static final List<Path> LOCATIONS = List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/bin/dnsmasq"), Path.of("/sbin/dnsmasq"));

    private final Process process;
    private final Path hosts;
    private final Path log;
    private final InetSocketAddress address;
    private final DnsQueryResolver resolver;

    /** dnsmasq's path, or null when it is not installed. */
    public static Path binary() {
        return LOCATIONS.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    private Dnsmasq(Process process, Path hosts, Path log, InetSocketAddress address) {
        this.process = process;
        this.hosts = hosts;
        this.log = log;
        this.address = address;
        this.resolver = new DnsQueryResolver(address, false, 1000);
    }

    /** Starts dnsmasq on 127.0.0.53 (or another loopback address) and a free port, with an empty hosts file in {@code dir}. */
    public static Dnsmasq start(Path dir) throws IOException, InterruptedException {
        var binary = binary();
        if (binary == null) {
            throw new IllegalStateException("dnsmasq is not installed (apt-get install -y dnsmasq-base)");
        }
        var hosts = dir.resolve("hosts");
        Files.writeString(hosts, "");
        var log = dir.resolve("dnsmasq.log");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            var ip = InetAddress.getByName("127.0.0." + (53 + attempt));
            int port;
            try (var probe = new DatagramSocket(new InetSocketAddress(ip, 0))) {
                port = probe.getLocalPort();
            }
            var command = new ArrayList<>(List.of(binary.toString(), "--keep-in-foreground", "--no-resolv", "--no-hosts",
                    "--no-poll", "--bind-interfaces", "--listen-address=" + ip.getHostAddress(), "--port=" + port,
                    "--addn-hosts=" + hosts, "--pid-file=", "--no-negcache", "--local-ttl=0", "--log-facility=" + log,
                    "--conf-file=/dev/null"));
            if ("root".equals(System.getProperty("user.name"))) {
                command.add("--user=root"); // so it can read the hosts file in the test's private directory
            }
            var process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
            var server = new Dnsmasq(process, hosts, log, new InetSocketAddress(ip, port));
            if (server.awaitReady()) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not start on " + ip.getHostAddress() + ":" + port + ": "
                    + Files.readString(dir.resolve("dnsmasq.out")));
        }
        throw last;
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Await.SOON.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                resolver.query("ready.invalid", 1);
                return true; // any answer, NXDOMAIN included, means it serves
            } catch (DnsQueryResolver.ErrorAnswer | java.net.UnknownHostException e) {
                return true; // any answer (dnsmasq REFUSEs names it does not know) means it serves
            } catch (IOException e) {
                // not listening yet: the query timed out or the port was unreachable; ask again
            }
        }
        return false;
    }

    /** The server's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** A resolver that asks this server (A records only unless {@code ipv6}). */
    public DnsQueryResolver resolver(boolean ipv6) {
        return new DnsQueryResolver(address, ipv6, 1000);
    }

    /**
     * Replaces the records: {@code names} maps each name to its addresses. Rewrites the hosts file,
     * sends SIGHUP and waits until the server answers the new addresses for every name.
     */
    public void publish(Map<String, List<String>> names) throws IOException {
        var text = new StringBuilder();
        names.forEach((name, ips) -> ips.forEach(ip -> text.append(ip).append(' ').append(name).append('\n')));
        var tmp = hosts.resolveSibling("hosts.new");
        Files.writeString(tmp, text);
        Files.move(tmp, hosts, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        signal("HUP");
        Await.until("dnsmasq to answer " + names, Duration.ofSeconds(10), () -> names.entrySet().stream().allMatch(e -> {
            try {
                Set<String> got = new HashSet<>();
                resolver.query(e.getKey(), 1).forEach(a -> got.add(a.getHostAddress()));
                return got.equals(new HashSet<>(e.getValue()));
            } catch (IOException ex) {
                return e.getValue().isEmpty() && ex instanceof java.net.UnknownHostException;
            }
        }));
    }

    private void signal(String name) throws IOException {
        try {
            var kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** dnsmasq's log file (start-up and each reload of the hosts file). */
    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
