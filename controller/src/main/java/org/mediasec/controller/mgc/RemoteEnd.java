package org.mediasec.controller.mgc;

import java.util.List;
import java.util.Optional;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;

/**
 * The far end of a gateway leg as SDP told the controller: its address and port (c= and m=), its a=setup, and,
 * when the gateway terminates TLS on the leg, the certificate fingerprints it must check (TLS-3, TLS-4); its MSRP
 * {@code a=path} (GW-6: sent only to an MSRP-aware leg).
 */
public record RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints, List<String> msrpPath) {

    public RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints) {
        this(connectionAddress, port, setup, fingerprints, List.of());
    }

    public RemoteEnd {
        fingerprints = List.copyOf(fingerprints);
        msrpPath = List.copyOf(msrpPath);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public RemoteEnd withoutFingerprints() {
        return new RemoteEnd(connectionAddress, port, setup, List.of(), msrpPath);
    }

    /** With the party's MSRP {@code a=path} (RFC 4975 8.1), which an MSRP-aware leg rewrites to (GW-6). */
    public RemoteEnd withMsrpPath(List<String> path) {
        return new RemoteEnd(connectionAddress, port, setup, fingerprints, path);
    }
}
