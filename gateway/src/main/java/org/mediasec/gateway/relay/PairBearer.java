package org.mediasec.gateway.relay;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerListener;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.RelayPair;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.datagram.DatagramPair;
import org.mediasec.gateway.context.Termination;
import org.mediasec.msrp.relay.MsrpPathRewrite;

/**
 * The bearer between the two legs of a relay context, whatever carries it: a stream relay over TCP and TLS
 * ({@link RelayPair}: GW-1..3; MSRP-aware on both legs, GW-6) or a datagram relay over UDP and DTLS ({@link DatagramPair}: GW-7). Both report the same
 * events and one Released; {@link RelayMedia} drives either through this view. Every method on the context's loop.
 */
sealed interface PairBearer {

    /** Opens the pair for the two terminations (side A, side B) on the context's loop, by the kind of their legs. */
    static CompletableFuture<PairBearer> open(BearerPlane plane, EventLoop loop, Termination a, Termination b, BearerListener listener) {
        if (a.plan().datagram()) {
            return plane.openDatagram(loop, a.datagramLegSpec(), b.datagramLegSpec(), listener).thenApply(Datagrams::new);
        }
        if (a.plan().msrpAware().isPresent() && b.plan().msrpAware().isPresent()) {
            // GW-6: what leg A receives goes to B's peer with To-Path B's a=path and From-Path our URI on B, and the
            // mirror for B (TS 23.334 5.19: the gateway is the last hop of one side and the first of the other)
            LegSpec legA = a.legSpec().withMsrp(new MsrpPathRewrite(a.ownMsrpUri().orElseThrow(), b.plan().msrpAware().get().peerPath(),
                    List.of(b.ownMsrpUri().orElseThrow())));
            LegSpec legB = b.legSpec().withMsrp(new MsrpPathRewrite(b.ownMsrpUri().orElseThrow(), a.plan().msrpAware().get().peerPath(),
                    List.of(a.ownMsrpUri().orElseThrow())));
            return plane.open(loop, legA, legB, listener).thenApply(Stream::new);
        }
        return plane.open(loop, a.legSpec(), b.legSpec(), listener).thenApply(Stream::new);
    }

    /** nt/os and nt/or of a side's leg: octets sent towards its peer, octets received from it. */
    Termination.Octets octets(Side side);

    /** Both directions' octets, for the metrics. */
    default long octetsRelayed() {
        return octets(Side.A).received() + octets(Side.B).received();
    }

    /** H.248.1 7.1.7: whether what {@code side} receives goes on to the other leg. */
    void setFlow(Side side, boolean flows);

    /** The side's peer is now (or changed to) {@code remote}. */
    void expectRemote(Side side, InetSocketAddress remote);

    InetSocketAddress localAddress(Side side);

    CompletableFuture<BearerEvent.Released> released();

    void release(String why);

    /** TCP and TLS: the bytes a leg received went to the other leg's peer. */
    record Stream(RelayPair pair) implements PairBearer {
        @Override
        public Termination.Octets octets(Side side) {
            return new Termination.Octets(pair.bytesReceived(side.other()), pair.bytesReceived(side));
        }

        @Override
        public void setFlow(Side side, boolean flows) {
            pair.setFlow(side, flows);
        }

        @Override
        public void expectRemote(Side side, InetSocketAddress remote) {
            pair.expectRemote(side, remote);
        }

        @Override
        public InetSocketAddress localAddress(Side side) {
            return pair.localAddress(side);
        }

        @Override
        public CompletableFuture<BearerEvent.Released> released() {
            return pair.released();
        }

        @Override
        public void release(String why) {
            pair.release(why);
        }
    }

    /** UDP and DTLS: payload octets; what was dropped (wrong source, oversize, held) was received but never sent on. */
    record Datagrams(DatagramPair pair) implements PairBearer {
        @Override
        public Termination.Octets octets(Side side) {
            return new Termination.Octets(pair.bytesForwarded(side.other()), pair.bytesReceived(side));
        }

        @Override
        public void setFlow(Side side, boolean flows) {
            pair.setFlow(side, flows);
        }

        @Override
        public void expectRemote(Side side, InetSocketAddress remote) {
            pair.expectRemote(side, remote);
        }

        @Override
        public InetSocketAddress localAddress(Side side) {
            return pair.localAddress(side);
        }

        @Override
        public CompletableFuture<BearerEvent.Released> released() {
            return pair.released();
        }

        @Override
        public void release(String why) {
            pair.release(why);
        }
    }
}
