package dev.zmq.internal.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ZMTP metadata: properties carried by READY (and INITIATE in PLAIN/CURVE). Names are 1 to 255 bytes,
 * case-insensitive in their ASCII letters; values are binary, up to 2^31-1 bytes.
 */
public final class Metadata {
    public static final String SOCKET_TYPE = "Socket-Type";
    public static final String IDENTITY = "Identity";
    /**
     * Property names are bytes on the wire. RFC 37 allows letters, digits and "-_.+" only, but libzmq
     * checks nothing, so neither do we; Latin-1 maps each byte to one char and back, so a name
     * arrives and travels on unchanged (US-ASCII turned other bytes into U+FFFD: a fuzz finding).
     */
    private static final java.nio.charset.Charset NAME_CHARSET = StandardCharsets.ISO_8859_1;

    /** Keyed by lower-cased name; insertion order kept for encoding. */
    private final Map<String, Property> properties = new LinkedHashMap<>();

    private record Property(String name, byte[] value) {
    }

    public Metadata put(String name, byte[] value) {
        properties.put(name.toLowerCase(Locale.ROOT), new Property(name, value));
        return this;
    }

    public Metadata put(String name, String value) {
        return put(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of {@code name} (case-insensitive), or null. */
    public byte[] get(String name) {
        var p = properties.get(name.toLowerCase(Locale.ROOT));
        return p == null ? null : p.value();
    }

    /** The value of {@code name} as a string, or null. */
    public String getString(String name) {
        var v = get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** The properties by their names as sent. */
    public Map<String, byte[]> asMap() {
        var m = new LinkedHashMap<String, byte[]>();
        for (var p : properties.values()) { // no lambda: see ConnectionProperties.of
            m.put(p.name(), p.value());
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Adds each property to {@code into} as a UTF-8 string, in order, unless {@code into} holds its
     * name already (as {@code into} compares names). Straight from the properties: no lambda, and
     * no unmodifiable view's entry classes, loaded at the first handshake otherwise.
     */
    public void addStringsIfAbsent(Map<String, String> into) {
        for (var p : properties.values()) {
            into.putIfAbsent(p.name(), new String(p.value(), StandardCharsets.UTF_8));
        }
    }

    public byte[] encode() {
        var out = new ByteArrayOutputStream();
        for (var p : properties.values()) {
            var name = p.name().getBytes(NAME_CHARSET);
            out.write(name.length);
            out.write(name, 0, name.length);
            int len = p.value().length;
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            out.write(p.value(), 0, len);
        }
        return out.toByteArray();
    }

    public static Metadata decode(byte[] data) throws ZmtpProtocolException {
        var md = new Metadata();
        int pos = 0;
        while (pos < data.length) {
            int nameLen = data[pos++] & 0xFF;
            if (nameLen == 0 || pos + nameLen + 4 > data.length) {
                throw new ZmtpProtocolException(dev.zmq.SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, "malformed metadata property name");
            }
            var name = new String(data, pos, nameLen, NAME_CHARSET);
            pos += nameLen;
            long len = ((long) (data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16)
                    | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
            pos += 4;
            if (len > data.length - pos) {
                throw new ZmtpProtocolException(dev.zmq.SocketEvent.ProtocolError.ZMTP_INVALID_METADATA,
                        "metadata property " + name + " is longer than its command");
            }
            var value = new byte[(int) len];
            System.arraycopy(data, pos, value, 0, (int) len);
            pos += (int) len;
            md.put(name, value);
        }
        return md;
    }
}
