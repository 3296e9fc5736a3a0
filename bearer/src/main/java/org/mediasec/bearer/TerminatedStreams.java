package org.mediasec.bearer;

import io.netty.channel.Channel;
import org.mediasec.traceability.Implements;

/**
 * What the handler on a terminated pair's connection ({@link BearerPlane#open(io.netty.channel.EventLoop, LegSpec,
 * java.util.function.Supplier, BearerListener)}) can say about its peer besides closing the stream, which releases
 * the pair in order.
 */
@Implements("GW-8")
public final class TerminatedStreams {

    private TerminatedStreams() {}

    /**
     * The peer does not read what the handler sends it, and what waits for it passed the handler's bound (GW-8): the
     * pair is released at once ({@link ReleaseReason#PEER_NOT_READING}) and the connection is reset. An orderly close
     * would first wait for the peer to read what is queued (it never does), and a peer whose receive window stays
     * shut may never see our FIN; a reset ends the connection both ways, frees what both kernels hold for it, and
     * a peer blocked writing to us hears of it at once. On the connection's event loop; a channel that is not a
     * terminated pair's connection is closed.
     */
    public static void releaseNotReading(Channel connection, String detail) {
        TerminatedLeg leg = connection.pipeline().get(TerminatedLeg.class);
        if (leg == null) {
            connection.close();
            return;
        }
        leg.peerNotReading(detail);
    }
}
