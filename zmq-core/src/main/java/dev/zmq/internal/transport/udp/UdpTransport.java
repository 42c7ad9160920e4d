package dev.zmq.internal.transport.udp;

import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.DatagramTransport;
import dev.zmq.internal.transport.Endpoint;

/** {@code udp://}: RADIO connects, DISH and DGRAM bind; each endpoint is one {@link UdpSession}. */
public final class UdpTransport implements DatagramTransport {
    public static final UdpTransport INSTANCE = new UdpTransport();

    private UdpTransport() {
    }

    @Override
    public String scheme() {
        return "udp";
    }

    @Override
    public boolean carriesDgram() {
        return true;
    }

    @Override
    public Opened open(SessionHost socket, Endpoint endpoint, boolean bind) {
        var session = UdpSession.open(socket, socket.nextIoThread(), endpoint.text(), endpoint.address(), bind);
        return new Opened(session, session.endpoint());
    }
}
