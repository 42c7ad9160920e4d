package dev.zmq;

/**
 * The library's version and the ZMTP wire protocol version it announces.
 *
 * @param major library major version
 * @param minor library minor version
 * @param patch library patch version
 * @param zmtpMajor ZMTP major version announced in the greeting
 * @param zmtpMinor ZMTP minor version announced in the greeting
 */
public record ZmqVersion(int major, int minor, int patch, int zmtpMajor, int zmtpMinor) {

    /** This library's version. */
    public static ZmqVersion current() {
        return CURRENT;
    }

    private static final ZmqVersion CURRENT = new ZmqVersion(0, 1, 0, 3, 1);

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + " (ZMTP " + zmtpMajor + "." + zmtpMinor + ")";
    }
}
