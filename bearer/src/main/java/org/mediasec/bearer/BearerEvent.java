package org.mediasec.bearer;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.mediasec.bearer.tls.CertificateFingerprint;

/** What a relay pair reports (TLS-9, TLS-10, TLS-11, TCP-8); at most one {@link Released} per pair. */
public sealed interface BearerEvent {

    Side side();

    /** The leg's TCP connection is up (connected or accepted). */
    record TcpEstablished(Side side, InetSocketAddress local, InetSocketAddress remote) implements BearerEvent {}

    /**
     * The leg's TLS handshake succeeded: with certificates, the peer's matched {@code peerFingerprint}; with a PSK
     * (E2E-5) there is no certificate and the fingerprint is empty.
     */
    record TlsEstablished(Side side, String protocol, String cipherSuite, Optional<CertificateFingerprint> peerFingerprint) implements BearerEvent {}

    /** The leg's TLS handshake failed; {@code reason} says why (alerts are handled inside the bearer, TLS-11). */
    record TlsFailed(Side side, String reason) implements BearerEvent {}

    /** TCP-6: a latching leg took a connection from {@code source} (H.248.37 latching); only that source is its peer now. */
    record Latched(Side side, InetSocketAddress source) implements BearerEvent {}

    /** A connection to a passive leg from an address that is not the expected peer was refused (TCP-9). */
    record ConnectionRefused(Side side, InetSocketAddress from) implements BearerEvent {}

    /**
     * A connection to a passive TLS leg from an admitted source failed its handshake and was reset; the leg keeps
     * listening within its connect window ({@link PendingHandshakes}). Counted, not a failure of the pair.
     */
    record HandshakeRefused(Side side, InetSocketAddress from, String reason) implements BearerEvent {}

    /** Both legs are closed; {@code side} is where the release started. Sent exactly once per pair. */
    record Released(Side side, ReleaseReason reason, String detail) implements BearerEvent {}
}
