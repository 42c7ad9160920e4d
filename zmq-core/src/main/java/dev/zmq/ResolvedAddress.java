package dev.zmq;

/**
 * One address behind an endpoint connected with {@link SocketOption#CONNECT_ALL_ADDRESSES}, as
 * {@link SocketStatistics#resolvedAddresses()} shows it.
 *
 * @param endpoint       the endpoint as given to {@link ZmqSocket#connect(String)}, e.g. {@code tcp://orders:5557}
 * @param address        the address connected to, e.g. {@code tcp://10.1.2.3:5557}
 * @param connected      whether a connection to it is up, with its handshake done
 * @param draining       the address is no longer behind the name: nothing new is queued for it, and
 *                       its connection ends once what was queued is delivered (or LINGER runs out)
 * @param messagesQueued messages waiting in its outgoing queue
 */
public record ResolvedAddress(String endpoint, String address, boolean connected, boolean draining, long messagesQueued) {
}
