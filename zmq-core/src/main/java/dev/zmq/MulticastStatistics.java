package dev.zmq;

/**
 * The PGM counters of a socket's epgm endpoints, part of {@link SocketStatistics#multicast()}: what
 * the reliability machinery did, which the message counters do not show. All zero for a socket
 * without epgm endpoints. They only grow, and stay readable after the endpoint is gone.
 *
 * <p>A publisher (PUB, XPUB) is a PGM source, a subscriber (SUB, XSUB) a PGM receiver; each counts
 * its own side only.
 *
 * @param dataPacketsSent     source: original data packets (ODATA) sent, one per packet whatever
 *                            number of messages it carries
 * @param repairsSent         source: repair packets (RDATA) sent in answer to NAKs
 * @param naksReceived        source: NAKs received for this source (each may ask for up to 63 packets)
 * @param unrepairable        source: packets asked for that had already left the transmit window
 *                            (RATE x RECOVERY_IVL): their receivers lose them
 * @param dataPacketsReceived receiver: data packets received, originals and repairs, duplicates included
 * @param repairsReceived     receiver: of those, repairs (RDATA)
 * @param naksSent            receiver: NAKs sent asking for missing packets
 * @param packetsLost         receiver: packets given up as unrecoverable (the source no longer had
 *                            them, or never answered): the messages in them are missing, and the
 *                            subscriber started again at the next message boundary
 * @param malformedDatagrams  receiver: datagrams on the group that were not valid PGM (bad checksum,
 *                            truncated, inconsistent), dropped
 */
public record MulticastStatistics(
        long dataPacketsSent,
        long repairsSent,
        long naksReceived,
        long unrepairable,
        long dataPacketsReceived,
        long repairsReceived,
        long naksSent,
        long packetsLost,
        long malformedDatagrams) {

    /** All zero: no epgm endpoint, or the start of a sum. */
    public static final MulticastStatistics NONE = new MulticastStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The sum of both, field by field. */
    public MulticastStatistics plus(MulticastStatistics other) {
        return new MulticastStatistics(dataPacketsSent + other.dataPacketsSent, repairsSent + other.repairsSent,
                naksReceived + other.naksReceived, unrepairable + other.unrepairable, dataPacketsReceived + other.dataPacketsReceived,
                repairsReceived + other.repairsReceived, naksSent + other.naksSent, packetsLost + other.packetsLost,
                malformedDatagrams + other.malformedDatagrams);
    }
}
