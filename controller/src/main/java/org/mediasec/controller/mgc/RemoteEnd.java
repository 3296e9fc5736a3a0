package org.mediasec.controller.mgc;

import java.util.List;
import java.util.Optional;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;

/**
 * The far end of a gateway leg as SDP told the controller: its address and port (c= and m=), its a=setup, when the
 * gateway terminates TLS on the leg the certificate fingerprints it must check (TLS-3, TLS-4), and the media
 * attributes the gateway needs beyond those (for T.38, {@code a=T38FaxMaxDatagram}: the datagram bound, GW-7), each
 * as the value of an {@code a=} line.
 */
public record RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints, List<String> attributes) {

    public RemoteEnd {
        fingerprints = List.copyOf(fingerprints);
        attributes = List.copyOf(attributes);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (attributes.stream().anyMatch(a -> a.isEmpty() || a.chars().anyMatch(c -> c == '\r' || c == '\n'))) {
            throw new IllegalArgumentException("an attribute is one non-empty line: " + attributes);
        }
    }

    public RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints) {
        this(connectionAddress, port, setup, fingerprints, List.of());
    }

    public RemoteEnd withoutFingerprints() {
        return new RemoteEnd(connectionAddress, port, setup, List.of(), attributes);
    }
}
