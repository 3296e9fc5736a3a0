package org.mediasec.controller.alg;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One party's end of an anchored m-line as the IMS-ALG knows it, for reports (the ng {@code query}): the gateway's
 * address and port towards the party, the party's address and port as its SDP advertised them (empty before its SDP
 * came), and the source the gateway latched onto once it reported one (TCP-6, H.248.37 Amd.1 address reporting).
 */
public record PartyEndpoint(int mediaIndex, String localAddress, int localPort, Optional<InetSocketAddress> advertised, Optional<InetSocketAddress> latched) {

    /** Where the party's media is as far as anyone knows: the latched source, else what its SDP said. */
    public Optional<InetSocketAddress> endpoint() {
        return latched.or(() -> advertised);
    }
}
