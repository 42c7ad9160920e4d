package dev.zmq.internal.transport.pgm;

import java.net.InetSocketAddress;

/** Where the PGM sender and receiver put their packets: a UDP socket, or a test's list. */
public interface Datagrams {
    /** Sends one datagram; false if it could not go now (kernel buffer full) and must be tried again. */
    boolean send(byte[] packet, InetSocketAddress to);
}
