package dev.zmq.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An authentication request (ZAP, RFC 27) as a ZAP handler receives it.
 *
 * @param domain the server socket's ZAP_DOMAIN (may be empty)
 * @param address the client's IP address
 * @param identity the server socket's routing id, as libzmq sends it (often empty)
 * @param mechanism "NULL", "PLAIN" or "CURVE"
 * @param credentials PLAIN: user name and password; CURVE: the client's 32-byte long-term public key; NULL: none
 */
public record ZapRequest(String domain, String address, byte[] identity, String mechanism, List<byte[]> credentials) {

    public ZapRequest {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(address, "address");
        identity = identity == null ? new byte[0] : identity.clone();
        Objects.requireNonNull(mechanism, "mechanism");
        credentials = List.copyOf(credentials);
    }

    @Override
    public byte[] identity() {
        return identity.clone();
    }

    /** PLAIN: the user name, else null. */
    public String username() {
        return mechanism.equals("PLAIN") && credentials.size() == 2 ? new String(credentials.get(0), StandardCharsets.UTF_8) : null;
    }

    /** PLAIN: the password, else null. */
    public String password() {
        return mechanism.equals("PLAIN") && credentials.size() == 2 ? new String(credentials.get(1), StandardCharsets.UTF_8) : null;
    }

    /** CURVE: the client's long-term public key (32 bytes), else null. */
    public byte[] curvePublicKey() {
        return mechanism.equals("CURVE") && credentials.size() == 1 && credentials.get(0).length == 32 ? credentials.get(0).clone() : null;
    }

    /** CURVE: the client's long-term public key in Z85 (40 characters), else null. */
    public String curvePublicKeyZ85() {
        var key = curvePublicKey();
        return key == null ? null : Z85.encode(key);
    }

    /** Never shows a password. */
    @Override
    public String toString() {
        var who = switch (mechanism) {
            case "PLAIN" -> ", username=" + username() + ", password=<hidden>";
            case "CURVE" -> ", key=" + curvePublicKeyZ85();
            default -> "";
        };
        return "ZapRequest[domain=" + domain + ", address=" + address + ", mechanism=" + mechanism + who + "]";
    }
}
