package org.mediasec.controller.alg;

import java.util.Optional;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.Transport;

/**
 * The IBCF's choice (TS 29.238 for the TrGW; REQUIREMENTS GW-3, E2E-8): MSRP and BFCP over TCP are anchored on the
 * TrGW and relayed transparently, e2e TLS included; e2ae is an access-side matter, so the IBCF never terminates TLS.
 */
public final class IbcfPolicy implements StreamPolicy {

    @Override
    public Optional<StreamPlan> plan(int index, MediaDescription offered, Party offerer, Party answerer) {
        return StreamPolicy.anchoredApplication(offered)
                .map(application -> new StreamPlan(index, application, LegSecurity.TRANSPARENT, LegSecurity.TRANSPARENT));
    }

    /** The TrGW is told the transport as offered: its Ix profile relays TCP/TLS/... as TCP end to end. */
    @Override
    public Transport gatewayTransport(LegSecurity security, Transport offered) {
        return offered;
    }
}
