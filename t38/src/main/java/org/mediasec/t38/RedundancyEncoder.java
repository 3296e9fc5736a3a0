package org.mediasec.t38;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Wraps successive IFPs in UDPTL packets with redundancy (T.38 9.1.4.2, T38FaxUdpEC t38UDPRedundancy): each packet
 * carries the new IFP as primary and the previous {@code depth} IFPs as secondaries, the most recent first, so that a
 * receiver recovers up to {@code depth} lost datagrams in a row. Sequence numbers start at a given value and wrap at
 * 65535. Not thread-safe: one encoder per sending direction.
 */
public final class RedundancyEncoder {

    private final int depth;
    private final Deque<Octets> recent = new ArrayDeque<>();
    private int nextSequenceNumber;

    public RedundancyEncoder(int depth, int firstSequenceNumber) {
        if (depth < 0 || firstSequenceNumber < 0 || firstSequenceNumber > UdptlPacket.MAX_SEQUENCE_NUMBER) {
            throw new IllegalArgumentException("redundancy depth " + depth + ", first seq-number " + firstSequenceNumber);
        }
        this.depth = depth;
        this.nextSequenceNumber = firstSequenceNumber;
    }

    public UdptlPacket next(IfpPacket ifp) {
        Octets primary = IfpCodec.encode(ifp);
        UdptlPacket packet = UdptlPacket.withRedundancy(nextSequenceNumber, primary, new ArrayList<>(recent));
        nextSequenceNumber = (nextSequenceNumber + 1) & UdptlPacket.MAX_SEQUENCE_NUMBER;
        recent.addFirst(primary);
        if (recent.size() > depth) {
            recent.removeLast();
        }
        return packet;
    }

    /** Every IFP wrapped and encoded, one datagram each. */
    public List<byte[]> datagrams(List<IfpPacket> ifps) {
        return ifps.stream().map(this::next).map(UdptlCodec::encode).toList();
    }
}
