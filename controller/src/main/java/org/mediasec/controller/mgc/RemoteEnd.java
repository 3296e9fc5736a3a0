package org.mediasec.controller.mgc;

import java.util.List;
import java.util.Optional;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;

/**
 * The far end of a gateway leg as SDP told the controller: its address and port (c= and m=), its a=setup, and,
 * when the gateway terminates TLS on the leg, the certificate fingerprints it must check (TLS-3, TLS-4).
 */
public record RemoteEnd(String connectionAddress, int port, Optional<Setup> setup, List<Fingerprint> fingerprints) {

    public RemoteEnd {
        fingerprints = List.copyOf(fingerprints);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public RemoteEnd withoutFingerprints() {
        return new RemoteEnd(connectionAddress, port, setup, List.of());
    }
}
