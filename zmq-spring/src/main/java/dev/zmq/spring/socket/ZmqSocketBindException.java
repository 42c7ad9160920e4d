package dev.zmq.spring.socket;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.spring.config.ZmqConfigurationException;

/** A socket could not bind one of its endpoints. */
public class ZmqSocketBindException extends ZmqConfigurationException {
    private static final long serialVersionUID = 1L;

    public ZmqSocketBindException(String property, String endpoint, ZmqException cause) {
        super(property, endpoint, "cannot bind: " + cause.getMessage() + " (" + cause.error() + ")", action(property, cause.error()), cause);
    }

    private static String action(String property, ZmqError error) {
        return switch (error) {
            case EADDRINUSE -> "Another process or socket already listens on that address: stop it, choose another port in "
                    + property + ", or use port * for an ephemeral one.";
            case EADDRNOTAVAIL -> "The host in " + property + " is not an address of this machine: bind to * or to one of its interfaces.";
            case EPROTONOSUPPORT -> "Use a transport zmq-core supports in " + property + ": tcp, ipc or inproc.";
            default -> "Check " + property + ": it must be an address this process can listen on.";
        };
    }
}
