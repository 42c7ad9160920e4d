package dev.zmq.spring.security;

/**
 * Stands for a secret (password, key) in error reports: only its length is shown, which is
 * usually what is wrong with a mistyped key.
 */
public record Redacted(int length) {

    /** The stand-in for {@code secret}, or null when there is none. */
    public static Redacted of(String secret) {
        return secret == null ? null : new Redacted(secret.length());
    }

    @Override
    public String toString() {
        return "<hidden, " + length + " characters>";
    }
}
