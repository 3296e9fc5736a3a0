package org.mediasec.t38;

import java.util.List;

/**
 * A UDPTL packet (ITU-T T.38 clause 9.1, ASN.1 {@code UDPTLPacket}): a sequence number, the primary IFP packet as an
 * open type (its octets, passed through unchanged) and the error recovery part. {@code UdptlCodec.decode(
 * UdptlCodec.encode(p))} equals {@code p} for every packet this record accepts.
 *
 * @param sequenceNumber seq-number, 0..65535, one more for each new primary IFP (T.38 9.1.4)
 * @param primary the primary-ifp-packet: the complete PER encoding of an IFPPacket, at least one octet
 * @param errorRecovery redundancy (the previous IFPs again) or forward error correction
 */
public record UdptlPacket(int sequenceNumber, Octets primary, ErrorRecovery errorRecovery) {

    /** The highest seq-number (INTEGER (0..65535)). */
    public static final int MAX_SEQUENCE_NUMBER = 0xffff;

    public UdptlPacket {
        if (sequenceNumber < 0 || sequenceNumber > MAX_SEQUENCE_NUMBER) {
            throw new IllegalArgumentException("seq-number " + sequenceNumber + " is outside 0..65535");
        }
        if (primary.length() == 0) {
            throw new IllegalArgumentException("an IFP open type has at least one octet (X.691 10.1.3)");
        }
    }

    /** error-recovery: a CHOICE of two. */
    public sealed interface ErrorRecovery {}

    /**
     * secondary-ifp-packets (T.38 9.1.4.2): earlier primaries repeated, the most recent first, so a lost datagram
     * is recovered from the next one.
     */
    public record Redundancy(List<Octets> secondaries) implements ErrorRecovery {
        public Redundancy {
            secondaries = List.copyOf(secondaries);
            if (secondaries.stream().anyMatch(ifp -> ifp.length() == 0)) {
                throw new IllegalArgumentException("an IFP open type has at least one octet (X.691 10.1.3)");
            }
        }
    }

    /**
     * fec-info (T.38 9.1.4.3): {@code fecNPackets} packets are protected, {@code fecData} holds the parity
     * octet strings.
     */
    public record Fec(int fecNPackets, List<Octets> fecData) implements ErrorRecovery {
        public Fec {
            fecData = List.copyOf(fecData);
            if (fecNPackets < 0) {
                throw new IllegalArgumentException("fec-npackets " + fecNPackets + " is negative");
            }
        }
    }

    /** A packet with redundancy. */
    public static UdptlPacket withRedundancy(int sequenceNumber, Octets primary, List<Octets> secondaries) {
        return new UdptlPacket(sequenceNumber, primary, new Redundancy(secondaries));
    }
}
