package dev.zmq.transport;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.LineProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Our side of {@link MulticastLoopTest}, run in a child JVM inside the sending namespace: a
 * receiver (a DISH joined to group "g" over udp, or a SUB subscribed to everything over epgm) and,
 * on command, a sender (RADIO or PUB) on the same group out of the same interface.
 *
 * <p>Arguments: {@code udp|epgm INTERFACE GROUP PORT} (an IPv6 group in brackets sets IPV6). Prints {@code READY}, then {@code GOT BODY}
 * for every message the receiver gets. Commands on stdin: {@code send TAG LOOP} opens a sender
 * ({@code LOOP}: {@code default} leaves MULTICAST_LOOP alone, {@code 0} or {@code 1} sets it; the
 * sender prints {@code LOOP v}, the value it reads back) that sends {@code TAG-i} every 20 ms;
 * {@code stop} closes it and prints {@code STOPPED n}; EOF ends the program.
 */
public final class MulticastLoopPeer {

    private MulticastLoopPeer() {
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        boolean udp = args[0].equals("udp");
        boolean ipv6 = args[2].startsWith("[");
        var endpoint = args[0] + "://" + args[1] + ";" + args[2] + ":" + args[3];
        var commands = LineProcess.commandsFromStdin("exit");
        try (var ctx = new ZmqContext()) {
            ZmqSocket receiver;
            if (udp) {
                receiver = ctx.socket(SocketType.DISH);
                receiver.set(SocketOption.IPV6, ipv6);
                receiver.bind(endpoint);
                receiver.join("g");
            } else {
                receiver = ctx.socket(SocketType.SUB);
                receiver.subscribe("");
                receiver.connect(endpoint);
            }
            say("READY");
            ZmqSocket sender = null;
            String tag = null;
            int sent = 0;
            long nextSend = 0;
            while (true) {
                var command = commands.poll();
                if (command != null) {
                    var words = command.split(" ");
                    if (words[0].equals("exit")) {
                        break;
                    } else if (words[0].equals("send")) {
                        sender = ctx.socket(udp ? SocketType.RADIO : SocketType.PUB);
                        if (!words[2].equals("default")) {
                            sender.set(SocketOption.MULTICAST_LOOP, words[2].equals("1"));
                        }
                        sender.set(SocketOption.LINGER, 0);
                        sender.set(SocketOption.IPV6, ipv6);
                        sender.connect(endpoint);
                        say("LOOP " + (sender.get(SocketOption.MULTICAST_LOOP) ? 1 : 0));
                        tag = words[1];
                        sent = 0;
                    } else if (words[0].equals("stop") && sender != null) {
                        sender.close();
                        sender = null;
                        say("STOPPED " + sent);
                    }
                }
                if (sender != null && System.nanoTime() - nextSend >= 0) {
                    var body = tag + "-" + sent++;
                    sender.send(udp ? Message.of(body).withGroup("g") : Message.of(body));
                    nextSend = System.nanoTime() + Duration.ofMillis(20).toNanos();
                }
                var m = receiver.recv(Duration.ofMillis(5));
                while (m != null) {
                    say("GOT " + new String(m.first(), StandardCharsets.UTF_8));
                    m = receiver.tryRecv();
                }
            }
            if (sender != null) {
                sender.close();
            }
            receiver.close();
        }
        System.exit(0);
    }
}
