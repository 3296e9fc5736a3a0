package org.mediasec.bearer.datagram;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsEngines;

/**
 * One UDP leg of a datagram pair (GW-7: UDPTL, plain towards the core, DTLS towards the UE).
 *
 * @param local the address and allocated port to bind
 * @param remote the peer from the SDP: the only source accepted, and where datagrams go; port 0 accepts any port of
 *     that address and answers the port the first datagram came from; empty while not known (everything is dropped
 *     as {@link DropReason#NOT_READY} until {@link DatagramPair#expectRemote})
 * @param maxPayload the largest payload forwarded, both ways (T38FaxMaxDatagram); larger ones are dropped
 *     ({@link DropReason#OVERSIZE})
 * @param dtls empty for plain UDP; else DTLS 1.2 on the leg (RFC 7345 UDP/TLS/UDPTL)
 * @param payloadCheck a check each payload must pass before it is forwarded (for example that it decodes as UDPTL);
 *     what fails is dropped as {@link DropReason#INVALID_PAYLOAD}
 */
public record DatagramLegSpec(InetSocketAddress local, Optional<InetSocketAddress> remote, int maxPayload, Optional<Dtls> dtls,
        Optional<Predicate<byte[]>> payloadCheck) {

    /** The largest UDP payload over IPv4 (65535 − 8 − 20). */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    /**
     * The DTLS layer (TLS-1: client or server as told; TLS-4: the peer's certificate must match one of the
     * fingerprints before any datagram is forwarded).
     *
     * @param certificate our certificate when chosen before the leg exists (its fingerprint went into the SDP)
     */
    public record Dtls(TlsEngines engines, boolean client, List<CertificateFingerprint> peerFingerprints, Optional<SelfSignedCertificate> certificate) {
        public Dtls {
            peerFingerprints = List.copyOf(peerFingerprints);
        }

        public Dtls(TlsEngines engines, boolean client, List<CertificateFingerprint> peerFingerprints) {
            this(engines, client, peerFingerprints, Optional.empty());
        }

        Duration handshakeTimeout() {
            return engines.domain().handshakeTimeout();
        }
    }

    public DatagramLegSpec {
        if (maxPayload < 1 || maxPayload > MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("max payload " + maxPayload + " is outside 1.." + MAX_UDP_PAYLOAD);
        }
        if (dtls.isPresent() && dtls.get().client() && remote.map(r -> r.getPort() == 0).orElse(true)) {
            throw new IllegalArgumentException("a DTLS client leg needs the peer's address and port to send its ClientHello to");
        }
    }

    public static DatagramLegSpec udp(InetSocketAddress local, Optional<InetSocketAddress> remote, int maxPayload) {
        return new DatagramLegSpec(local, remote, maxPayload, Optional.empty(), Optional.empty());
    }

    public DatagramLegSpec withDtls(Dtls dtls) {
        return new DatagramLegSpec(local, remote, maxPayload, Optional.of(dtls), payloadCheck);
    }

    public DatagramLegSpec withPayloadCheck(Predicate<byte[]> check) {
        return new DatagramLegSpec(local, remote, maxPayload, dtls, Optional.of(check));
    }
}
