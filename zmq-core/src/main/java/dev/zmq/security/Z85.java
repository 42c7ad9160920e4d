package dev.zmq.security;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Z85 (ZeroMQ RFC 32): binary data as printable text, four bytes to five characters. CURVE keys
 * are 32 bytes, so 40 characters in Z85, as libzmq's {@code zmq_z85_encode} and the key files of
 * libzmq and czmq tools write them.
 *
 * <pre>{@code
 * String text = Z85.encode(key);      // 40 characters for a 32-byte key
 * byte[] key = Z85.decode(text);
 * }</pre>
 */
public final class Z85 {
    private static final char[] ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private Z85() {
    }

    /**
     * Encodes {@code data}, whose length must be a multiple of 4.
     *
     * @throws ZmqException EINVAL if the length is not a multiple of 4
     */
    public static String encode(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length % 4 != 0) {
            throw new ZmqException(ZmqError.EINVAL, "Z85 encodes whole 4-byte groups: " + data.length
                    + " bytes is not a multiple of 4 (pad the data first)");
        }
        var out = new char[data.length / 4 * 5];
        int o = 0;
        for (int i = 0; i < data.length; i += 4) {
            long value = ((data[i] & 0xFFL) << 24) | ((data[i + 1] & 0xFF) << 16) | ((data[i + 2] & 0xFF) << 8) | (data[i + 3] & 0xFF);
            for (int j = 4; j >= 0; j--) {
                out[o + j] = ALPHABET[(int) (value % 85)];
                value /= 85;
            }
            o += 5;
        }
        return new String(out);
    }

    /**
     * Decodes {@code text}, whose length must be a multiple of 5, using only Z85 characters.
     *
     * @throws ZmqException EINVAL naming the problem (length, the first bad character and its
     *         position, or a group whose value does not fit in 32 bits); the text itself is not
     *         repeated in the message, as it may be a secret key
     */
    public static byte[] decode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() % 5 != 0) {
            throw new ZmqException(ZmqError.EINVAL, "Z85 text must be a multiple of 5 characters long, got "
                    + text.length() + " characters");
        }
        var out = new byte[text.length() / 5 * 4];
        int o = 0;
        for (int i = 0; i < text.length(); i += 5) {
            long value = 0;
            for (int j = 0; j < 5; j++) {
                char c = text.charAt(i + j);
                int digit = c < 128 ? VALUES[c] : -1;
                if (digit < 0) {
                    throw new ZmqException(ZmqError.EINVAL, "not a Z85 character at position " + (i + j)
                            + (c >= 0x20 && c < 0x7F ? "" : " (code " + (int) c + ")"));
                }
                value = value * 85 + digit;
            }
            if (value > 0xFFFFFFFFL) {
                throw new ZmqException(ZmqError.EINVAL, "Z85 group at position " + i + " does not fit in 4 bytes");
            }
            out[o++] = (byte) (value >>> 24);
            out[o++] = (byte) (value >>> 16);
            out[o++] = (byte) (value >>> 8);
            out[o++] = (byte) value;
        }
        return out;
    }
}
