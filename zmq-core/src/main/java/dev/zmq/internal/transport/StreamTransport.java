package dev.zmq.internal.transport;

import dev.zmq.internal.session.Dialer;
import dev.zmq.internal.session.SessionHost;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/** A transport whose connections are byte streams carrying ZMTP: tcp and ipc. */
public interface StreamTransport extends ListeningTransport {

    /** Checks {@code endpoint} for connecting and returns the dialer for it. */
    Dialer dialer(SessionHost socket, Endpoint endpoint);

    /** What a listener does to each accepted connection. */
    interface AcceptedSetup {
        /** Applies socket options to a new connection. */
        void tune(SocketChannel channel) throws IOException;

        /** The peer's address as an endpoint string, for logs and the monitor. */
        String peerAddress(SocketChannel channel) throws IOException;

        /** The listener closed: release what the bind created (an ipc socket file). */
        default void released() {
        }
    }
}
