package org.mediasec.controller.mgc;

import java.util.List;
import java.util.Optional;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;

/**
 * The far end of a gateway leg as SDP told the controller: its address and port (c= and m=), its a=setup, when the
 * gateway terminates TLS on the leg the certificate fingerprints it must check (TLS-3, TLS-4), the media
 * attributes the gateway needs beyond those (for T.38, {@code a=T38FaxMaxDatagram}: the datagram bound, GW-7), each
 * as the value of an {@code a=} line, and its MSRP {@code a=path} (GW-6: sent only to an MSRP-aware leg).
 */
public record RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints, List<String> attributes,
        List<String> msrpPath) {

    public RemoteEnd {
        fingerprints = List.copyOf(fingerprints);
        attributes = List.copyOf(attributes);
        msrpPath = List.copyOf(msrpPath);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (attributes.stream().anyMatch(a -> a.isEmpty() || a.chars().anyMatch(c -> c == '\r' || c == '\n'))) {
            throw new IllegalArgumentException("an attribute is one non-empty line: " + attributes);
        }
        if (msrpPath.stream().anyMatch(uri -> uri.isEmpty() || uri.chars().anyMatch(c -> c <= ' '))) {
            // the path goes into the SDP of an H.248 command: one token per URI, nothing that could start a line
            throw new IllegalArgumentException("an a=path URI is one non-empty token: " + msrpPath);
        }
    }

    public RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints, List<String> attributes) {
        this(connectionAddress, port, setup, fingerprints, attributes, List.of());
    }

    public RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints) {
        this(connectionAddress, port, setup, fingerprints, List.of(), List.of());
    }

    public RemoteEnd withoutFingerprints() {
        return new RemoteEnd(connectionAddress, port, setup, List.of(), attributes, msrpPath);
    }

    /** With the party's MSRP {@code a=path} (RFC 4975 8.1), which an MSRP-aware leg rewrites to (GW-6). */
    public RemoteEnd withMsrpPath(List<String> path) {
        return new RemoteEnd(connectionAddress, port, setup, fingerprints, attributes, path);
    }
}
