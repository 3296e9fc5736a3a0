package org.mediasec.bearer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.msrp.relay.MsrpPathRewrite;

/**
 * One leg of a relay pair.
 *
 * @param role ACTIVE connects (TCP client), PASSIVE listens and accepts exactly the expected peer (TCP-1)
 * @param local where to bind: for a passive leg the listening address (port from the allocator, or 0), for an active
 *     leg the source address (port 0: any)
 * @param remote the peer: for an active leg where to connect (required); for a passive leg the only address
 *     accepted (port 0 or 9: any port), empty while not yet known (then every connection is refused, TCP-9)
 * @param tls empty for plain TCP; else the TLS layer on the TCP leg (TLS-1)
 * @param psk empty unless the leg is TLS-PSK (E2E-5: the MRFP's legs keyed by the TEK); never with {@code tls}
 * @param traversal when and from whom the connection comes about beyond the role: delayed (TCP-4), merged (TCP-5),
 *     latched (TCP-6)
 * @param msrp empty for an application-agnostic leg (bytes relayed unchanged); else the MSRP-aware rewrite of what
 *     this leg receives before it goes to the other leg (GW-6), parsed after the leg's TLS layer
 */
public record LegSpec(TcpRole role, InetSocketAddress local, Optional<InetSocketAddress> remote, Optional<Tls> tls, Optional<PskTls> psk,
        Traversal traversal, Optional<MsrpPathRewrite> msrp) {

    /**
     * How a leg's TCP connection comes about beyond its role (TR 29.828 4.4.2.2, 4.4.2.3).
     *
     * @param delayed TCP-4: nothing is connected and every connection is refused (and counted) until
     *     {@link RelayPair#establish} says so
     * @param merge TCP-5: a passive leg that also connects to {@code remote} from its own listening port, retrying
     *     within the connect timeout, so that a peer behind a NAT that connects out at the same time meets it in one
     *     connection (RFC 793 3.4 simultaneous open); whichever comes first (accepted or connected) is the leg's
     * @param latchPolicy TCP-6 (H.248.37 latching) on a passive leg: present, the first connection from an acceptable
     *     source is the leg's and its source is reported ({@link BearerEvent.Latched}); acceptable is the expected
     *     address (any port when its port is 0) when {@code remote} gives one, else any source this policy accepts (SEC-2)
     */
    public record Traversal(boolean delayed, boolean merge, Optional<RemoteAddressPolicy> latchPolicy) {
        public static final Traversal NONE = new Traversal(false, false, Optional.empty());
    }

    public LegSpec(TcpRole role, InetSocketAddress local, Optional<InetSocketAddress> remote, Optional<Tls> tls, Optional<PskTls> psk) {
        this(role, local, remote, tls, psk, Traversal.NONE, Optional.empty());
    }

    /** A TLS-PSK layer: client or server, the PSK (held by the leg only until its handshake ends), the handshake timeout. */
    public record PskTls(boolean client, byte[] key, java.time.Duration handshakeTimeout) {
        public PskTls {
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "PskTls[" + (client ? "client" : "server") + ", key not shown]";
        }
    }

    public LegSpec(TcpRole role, InetSocketAddress local, Optional<InetSocketAddress> remote, Optional<Tls> tls) {
        this(role, local, remote, tls, Optional.empty());
    }

    /** The TLS layer of a leg: client or server (TLS-1), the domain's engines, the peer fingerprints from SDP (TLS-3). */
    public record Tls(TlsEngines engines, boolean client, List<CertificateFingerprint> peerFingerprints,
            Optional<org.mediasec.bearer.tls.SelfSignedCertificate> certificate) {
        /** With the certificate the domain gives the leg (its own, or a fresh one per stream). */
        public Tls(TlsEngines engines, boolean client, List<CertificateFingerprint> peerFingerprints) {
            this(engines, client, peerFingerprints, Optional.empty());
        }

        /**
         * With a certificate chosen before the leg exists ({@link TlsEngines#certificateForStream()}), so that its
         * fingerprint could go into an SDP answer first (TLS-3).
         */
        public Tls {
            peerFingerprints = List.copyOf(peerFingerprints);
        }
    }

    public LegSpec {
        if (role == TcpRole.ACTIVE && remote.isEmpty()) {
            throw new IllegalArgumentException("an active leg needs the address to connect to");
        }
        if (tls.isPresent() && psk.isPresent()) {
            throw new IllegalArgumentException("a leg is TLS with certificates or TLS-PSK, not both");
        }
        if (traversal.merge() && (role != TcpRole.PASSIVE || remote.filter(peer -> peer.getPort() != 0).isEmpty())) {
            throw new IllegalArgumentException("a merging leg listens and connects: passive, with the peer's address and port");
        }
        if (traversal.latchPolicy().isPresent() && role != TcpRole.PASSIVE) {
            throw new IllegalArgumentException("a latching leg is passive");
        }
    }

    public static LegSpec active(InetSocketAddress local, InetSocketAddress remote) {
        return new LegSpec(TcpRole.ACTIVE, local, Optional.of(remote), Optional.empty());
    }

    public static LegSpec passive(InetSocketAddress local, Optional<InetSocketAddress> remote) {
        return new LegSpec(TcpRole.PASSIVE, local, remote, Optional.empty());
    }

    public LegSpec withTls(Tls tls) {
        return new LegSpec(role, local, remote, Optional.of(tls), Optional.empty(), traversal, msrp);
    }

    public LegSpec withPsk(PskTls psk) {
        return new LegSpec(role, local, remote, Optional.empty(), Optional.of(psk), traversal, msrp);
    }

    public LegSpec withTraversal(Traversal traversal) {
        return new LegSpec(role, local, remote, tls, psk, traversal, msrp);
    }

    /** MSRP-aware (GW-6): what this leg receives goes on with its paths rewritten; requests for another session get 481. */
    public LegSpec withMsrp(MsrpPathRewrite rewrite) {
        return new LegSpec(role, local, remote, tls, psk, traversal, Optional.of(rewrite));
    }
}
