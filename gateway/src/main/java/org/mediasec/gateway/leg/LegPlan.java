package org.mediasec.gateway.leg;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.mediasec.bearer.RemoteAddressPolicy;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.Transport;

/**
 * What the bearer must do for one termination's leg, as its descriptors say (TS 23.334 5.11.2.x; h248-stage3
 * reference §1): the transport (TLS-2, TCP-3), our TCP role (TCP-1) and whether it is still open, the peer (its
 * address, or only its host when it will connect from a port of its choosing), the peer's certificate fingerprints
 * (TLS-3), the TLS layer the gateway runs on it, if any (TLS-1, TLS-8, E2E-5), and for a UDP leg (GW-7) what its
 * datagrams may be. A value: computed by {@link LegPlanner}, applied by the context.
 *
 * @param role on a TCP leg who connects; on a DTLS leg who is DTLS client by default (RFC 8842: a=setup as for TCP);
 *     meaningless on a plain UDP leg
 * @param roleOpen Local {@code a=setup:actpass} with no answer yet (RFC 4145 4.1): the leg listens, so its port can
 *     be offered, but joins no bearer until Remote's {@code a=setup} (or a Local active/passive) decides it
 * @param remote for an active leg where to connect; for a passive leg the only peer accepted (port 0: any port of
 *     that host); empty while unknown (a passive leg then accepts nobody, TCP-9); for a UDP leg the only source
 *     accepted and where datagrams go (the SDP address and port)
 * @param datagrams present for a UDP leg (udptl, UDP/TLS/UDPTL, udp)
 * @param traversal on a TCP leg, how its connection comes about through NATs (TCP-4, TCP-5, TCP-6)
 * @param msrpAware empty for an application-agnostic leg; else the MSRP-aware mode (GW-6, {@link MsrpMode})
 */
public record LegPlan(Transport transport, TcpRole role, boolean roleOpen, Optional<InetSocketAddress> remote,
        List<CertificateFingerprint> remoteFingerprints, Optional<TlsLayer> tls, Optional<Datagrams> datagrams, Traversal traversal,
        Optional<MsrpAware> msrpAware) {

    public LegPlan {
        remoteFingerprints = List.copyOf(remoteFingerprints);
    }

    /** An application-agnostic TCP leg. */
    public LegPlan(Transport transport, TcpRole role, boolean roleOpen, Optional<InetSocketAddress> remote,
            List<CertificateFingerprint> remoteFingerprints, Optional<TlsLayer> tls) {
        this(transport, role, roleOpen, remote, remoteFingerprints, tls, Optional.empty(), Traversal.NONE, Optional.empty());
    }

    /** A UDP leg (GW-7) when {@code datagrams} is present, else a TCP one; application-agnostic, without NAT traversal. */
    public LegPlan(Transport transport, TcpRole role, boolean roleOpen, Optional<InetSocketAddress> remote,
            List<CertificateFingerprint> remoteFingerprints, Optional<TlsLayer> tls, Optional<Datagrams> datagrams) {
        this(transport, role, roleOpen, remote, remoteFingerprints, tls, datagrams, Traversal.NONE, Optional.empty());
    }

    /**
     * NAT traversal of a TCP leg (TR 29.828 4.4.2.2, 4.4.2.3; docs/nat-traversal.md).
     *
     * @param delayed TCP-4 ({@code tcpbcc/delay}): reserved, nothing opened or accepted until the establish signal;
     *     false again once the signal came
     * @param merge TCP-5 ({@code tcpbcc/merge} on a passive leg): also connect to the peer from our port
     * @param latch TCP-6 ({@code ipnapt/latch}): present, the SDP address is not trusted: the first source that this
     *     realm policy accepts (SEC-2) is latched, restricted to the Remote address (any port) when Remote gives one
     */
    public record Traversal(boolean delayed, boolean merge, Optional<RemoteAddressPolicy> latch) {
        public static final Traversal NONE = new Traversal(false, false, Optional.empty());
    }

    /**
     * What a UDP leg forwards (GW-7): payloads of at most {@code maxPayload} octets (T38FaxMaxDatagram, RFC 7345), and,
     * where the payload is UDPTL the gateway can read, only what decodes as UDPTL (T.38 9.1).
     */
    public record Datagrams(int maxPayload, boolean checkUdptl) {}

    /** A UDP leg (GW-7), not a TCP one. */
    public boolean datagram() {
        return datagrams.isPresent();
    }

    /**
     * The MSRP-aware mode of a leg (GW-6): the session-id of the gateway's own URI on it (fresh per leg, kept while
     * the leg is aware) and the peer's path from Remote {@code a=path} (relays first, the peer last; RFC 4975 8.1).
     */
    public record MsrpAware(String sessionId, List<MsrpUri> peerPath) {
        public MsrpAware {
            peerPath = List.copyOf(peerPath);
        }
    }

    /** The TLS the gateway terminates on the leg: with certificates (e2ae, TLS-4) or keyed by a PSK (the MRFP, E2E-5). */
    public sealed interface TlsLayer {
        /** TLS client (true) or server (TLS-1). */
        boolean client();
    }

    /** Certificate TLS of a TLS domain (TLS-8), the peer authenticated by fingerprint (TLS-4). */
    public record CertificateTls(String domain, TlsEngines engines, boolean client) implements TlsLayer {}

    /** TLS-PSK keyed by the TEK the MRFC hands over (E2E-5); the key itself stays with the termination. */
    public record PskTls(boolean client) implements TlsLayer {}

    public Optional<CertificateTls> certificateTls() {
        return tls.filter(CertificateTls.class::isInstance).map(CertificateTls.class::cast);
    }

    public boolean pskTls() {
        return tls.filter(PskTls.class::isInstance).isPresent();
    }

    /**
     * Enough is known to open the leg: its role is decided, an active leg knows where to connect, a certificate TLS
     * leg knows whom to accept (TLS-4: no fingerprint, no peer), an MSRP-aware leg knows the peer's path (GW-6); a UDP
     * leg knows its peer.
     */
    public boolean complete() {
        if (datagram()) {
            // GW-7: a UDP leg sends to and accepts from its SDP address only; its DTLS needs a role and whom to accept
            return remote.isPresent() && (certificateTls().isEmpty() || (!roleOpen && !remoteFingerprints.isEmpty()));
        }
        // TCP-5: a merging leg connects too, so it needs the peer's port
        boolean mergeable = !traversal.merge() || remote.filter(address -> address.getPort() != 0).isPresent();
        return !roleOpen && (role == TcpRole.PASSIVE || remote.isPresent()) && mergeable && (certificateTls().isEmpty() || !remoteFingerprints.isEmpty())
                && msrpAware.map(aware -> !aware.peerPath().isEmpty()).orElse(true);
    }
}
