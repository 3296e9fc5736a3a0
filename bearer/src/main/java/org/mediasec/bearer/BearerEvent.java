package org.mediasec.bearer;

import java.net.InetSocketAddress;
import org.mediasec.bearer.tls.CertificateFingerprint;

/** What a relay pair reports (TLS-9, TLS-10, TLS-11, TCP-8); at most one {@link Released} per pair. */
public sealed interface BearerEvent {

    Side side();

    /** The leg's TCP connection is up (connected or accepted). */
    record TcpEstablished(Side side, InetSocketAddress local, InetSocketAddress remote) implements BearerEvent {}

    /** The leg's TLS handshake succeeded and the peer certificate matched {@code peerFingerprint}. */
    record TlsEstablished(Side side, String protocol, String cipherSuite, CertificateFingerprint peerFingerprint) implements BearerEvent {}

    /** The leg's TLS handshake failed; {@code reason} says why (alerts are handled inside the bearer, TLS-11). */
    record TlsFailed(Side side, String reason) implements BearerEvent {}

    /** A connection to a passive leg from an address that is not the expected peer was refused (TCP-9). */
    record ConnectionRefused(Side side, InetSocketAddress from) implements BearerEvent {}

    /** Both legs are closed; {@code side} is where the release started. Sent exactly once per pair. */
    record Released(Side side, ReleaseReason reason, String detail) implements BearerEvent {}
}
