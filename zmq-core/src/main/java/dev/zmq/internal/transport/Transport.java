package dev.zmq.internal.transport;

/**
 * One transport, found by its scheme in the context's {@link Transports}. What a transport can do
 * is said by the interface it implements: {@link StreamTransport} (tcp, ipc: listeners and dialers
 * carrying ZMTP), {@link DatagramTransport} (udp, epgm: bind and connect each open one endpoint
 * standing for every peer) or the context's inproc names.
 */
public interface Transport {
    /** The scheme before {@code ://}, lower case, e.g. {@code tcp}. */
    String scheme();

    /** Whether DGRAM sockets may use this transport (libzmq gives them udp only). */
    default boolean carriesDgram() {
        return false;
    }
}
