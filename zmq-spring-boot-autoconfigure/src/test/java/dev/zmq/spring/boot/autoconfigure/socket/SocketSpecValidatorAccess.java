package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.socket.SocketSpecValidator;

import dev.zmq.SocketOption;

/** Test access to the package-private security-option check. */
public final class SocketSpecValidatorAccess {
    private SocketSpecValidatorAccess() {
    }

    public static boolean isSecurityOption(SocketOption<?> option) {
        return SocketSpecValidator.isSecurityOption(option);
    }
}
