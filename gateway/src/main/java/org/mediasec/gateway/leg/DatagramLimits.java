package org.mediasec.gateway.leg;

import java.util.Optional;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.Transport;

/**
 * What a UDP leg forwards (GW-7; RFC 7345; ITU-T T.38 Annex D): the payload bound from {@code a=T38FaxMaxDatagram}
 * (Remote's, the peer's receive limit, else Local's, else what the leg had), and whether payloads must decode as UDPTL
 * (where the gateway sees them in clear: plain udptl, or DTLS it terminates). A stream whose DTLS the gateway relays
 * untouched (TrGW; {@code udp} on the IMS-AGW for e2e DTLS) carries records, handshake flights included, so its bound
 * is the path's, never below the declared payload plus a record's overhead. Pure, stateless.
 */
final class DatagramLimits {

    /** What one IPv4 datagram carries over an Ethernet path without fragmenting: 1500 − 20 (IPv4) − 8 (UDP). */
    static final int PATH_PAYLOAD = 1472;
    /**
     * The DTLS 1.2 record overhead the bearer allows (DtlsEndpoint: 13 octets of header, 8 of explicit nonce and 16 of
     * AES-GCM tag, RFC 6347 4.1, RFC 5288 3).
     */
    static final int DTLS_RECORD_OVERHEAD = 37;
    /** The largest UDP payload over IPv4 (65535 − 20 − 8). */
    static final int MAX_UDP_PAYLOAD = 65_507;
    /** Without {@code a=T38FaxMaxDatagram}: a UDPTL payload whose DTLS record still fits the path (our choice). */
    static final int DEFAULT_MAX_PAYLOAD = PATH_PAYLOAD - DTLS_RECORD_OVERHEAD;
    /** RFC 7345 / T.38 Annex D: the attribute that bounds a datagram's UDPTL payload. */
    static final String MAX_DATAGRAM_ATTRIBUTE = "T38FaxMaxDatagram";

    private DatagramLimits() {}

    /**
     * @param dtlsTerminated the gateway runs the DTLS of a {@code UDP/TLS/UDPTL} leg itself (it sees UDPTL in clear)
     */
    static LegPlan.Datagrams of(Transport transport, boolean dtlsTerminated, Optional<MediaDescription> local, Optional<MediaDescription> remote,
            Optional<LegPlan.Datagrams> current) throws GatewayError {
        boolean readable = transport.application().equals("UDPTL") && (!transport.isTls() || dtlsTerminated);
        Optional<Integer> fromRemote = declared(remote);
        Optional<Integer> declared = fromRemote.isPresent() ? fromRemote : declared(local);
        if (declared.isEmpty() && current.filter(c -> c.checkUdptl() == readable).isPresent()) {
            return current.get();
        }
        int payload = Math.min(declared.orElse(DEFAULT_MAX_PAYLOAD), MAX_UDP_PAYLOAD - DTLS_RECORD_OVERHEAD);
        return readable ? new LegPlan.Datagrams(payload, true) : new LegPlan.Datagrams(Math.max(payload + DTLS_RECORD_OVERHEAD, PATH_PAYLOAD), false);
    }

    private static Optional<Integer> declared(Optional<MediaDescription> media) throws GatewayError {
        Optional<String> value = media.flatMap(m -> m.attribute(MAX_DATAGRAM_ATTRIBUTE)).map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().matches("[0-9]{1,9}") || Integer.parseInt(value.get()) < 1) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=" + MAX_DATAGRAM_ATTRIBUTE + ":" + value.get()
                    + ": a positive number of octets is expected");
        }
        return Optional.of(Integer.parseInt(value.get()));
    }
}
