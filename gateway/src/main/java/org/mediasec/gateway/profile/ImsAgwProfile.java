package org.mediasec.gateway.profile;

import java.util.Set;
import org.mediasec.gateway.context.ContextMedia;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.gateway.relay.RelayMedia;
import org.mediasec.sdp.Transport;

/**
 * IMS-AGW on Iq (TS 29.334 Rel-12, TS 23.334 5.11.2.x): MSRP and BFCP over TCP and TLS; terminates TLS towards the
 * UE for e2ae (GW-1), two TLS sessions in one context (GW-2), and relays TCP transparently, including end-to-end TLS
 * carried as TCP (GW-3). T.38 fax over UDP (GW-7, RFC 7345): DTLS terminated towards the UE
 * ({@code UDP/TLS/UDPTL}), plain {@code udptl}, and {@code udp} for datagrams relayed as they are (end-to-end DTLS,
 * the UDP form of GW-3).
 */
public record ImsAgwProfile() implements GatewayProfile {

    @Override
    public String name() {
        return "ims_agw"; // unverified: TS 29.334 5.3 profile identification (configurable)
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public String reference() {
        return "Iq, TS 29.334";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP_MSRP, Transport.TCP_TLS_MSRP, Transport.TCP_BFCP, Transport.TCP_TLS_BFCP,
                Transport.UDPTL, Transport.UDP_TLS_UDPTL, Transport.UDP);
    }

    @Override
    public boolean terminatesTls() {
        return true;
    }

    @Override
    public ContextMedia newContextMedia(MediaServices services) {
        return new RelayMedia(this, services);
    }
}
