package dev.zmq.internal.transport.pgm;

/** A datagram that is not a well-formed PGM packet; it is dropped and counted, never fatal. */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
