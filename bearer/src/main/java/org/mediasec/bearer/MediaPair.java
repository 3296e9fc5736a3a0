package org.mediasec.bearer;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mediasec.bearer.tls.CertificateFingerprint;

/**
 * The bearer between the two legs of a relay context, whatever carries it: a stream relay over TCP and TLS
 * ({@link RelayPair}: GW-1..3) or a datagram relay over UDP and DTLS ({@code DatagramPair}: GW-7). Both report the
 * same events and exactly one {@link BearerEvent.Released}; the gateway drives either through this view. Thread rule:
 * callable from any thread; what changes the pair applies on its event loop.
 */
public interface MediaPair {

    /** Where a leg listens (passive) or connects from (active, once connected). */
    InetSocketAddress localAddress(Side side);

    /** Our certificate's fingerprint on a TLS or DTLS leg, for the SDP answer (TLS-3). */
    Optional<CertificateFingerprint> localFingerprint(Side side);

    /** Octets received on a leg from its peer (after TLS or DTLS: plaintext); readable after the release. */
    long bytesReceived(Side side);

    /** Octets sent on towards {@code side}'s peer: what the other leg received and relayed. */
    long bytesSentTo(Side side);

    /** Completes with the one Released event. */
    CompletableFuture<BearerEvent.Released> released();

    /** A leg's peer is now known or changed (the SDP answer); completes once applied on the pair's loop. */
    CompletableFuture<Void> expectRemote(Side side, InetSocketAddress remote);

    /** H.248.1 7.1.7 modes: whether what {@code from} receives goes on to the other leg; completes once applied. */
    CompletableFuture<Void> setFlow(Side from, boolean flowing);

    /** TCP-4: a delayed leg may establish its connection now; completes once applied (a datagram leg is never delayed). */
    CompletableFuture<Void> establish(Side side);

    /** Releases the pair (the controller's Subtract), reported as {@link ReleaseReason#RELEASED}. */
    void release(String detail);
}
