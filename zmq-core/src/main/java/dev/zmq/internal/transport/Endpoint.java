package dev.zmq.internal.transport;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;

/**
 * A parsed endpoint, {@code transport://address}.
 *
 * @param transport the transport name, lower case
 * @param address what follows {@code ://}
 * @param text the endpoint as given
 */
public record Endpoint(String transport, String address, String text) {

    /**
     * Splits {@code text} into transport and address, failing with EINVAL and a message that says
     * what is wrong. Which transports exist is for {@link Transports#parse} to say; check the address
     * with {@link #requireAddress} once the transport is known.
     */
    static Endpoint split(String text) {
        if (text == null || text.isBlank()) {
            throw new ZmqException(ZmqError.EINVAL, "endpoint is empty; expected transport://address, e.g. tcp://127.0.0.1:5555");
        }
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text
                    + "': expected transport://address, e.g. tcp://127.0.0.1:5555");
        }
        var transport = text.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        var address = text.substring(sep + 3);
        return new Endpoint(transport, address, text);
    }

    /** Fails with EINVAL if nothing follows {@code ://}. */
    void requireAddress() {
        if (address.isEmpty()) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': the address after :// is empty");
        }
    }
}
