package org.mediasec.gateway.profile;

import java.util.Optional;
import java.util.Set;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.gateway.context.ContextMedia;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.gateway.relay.RelayMedia;
import org.mediasec.sdp.Transport;

/**
 * TrGW on Ix (TS 29.238): MSRP and BFCP over TCP, relayed transparently; TLS is end-to-end (or e2ae at the access
 * edge), so a TLS stream passes as TCP, records untouched and no key material here (GW-3). Both legs must then carry
 * the same transport: the TrGW does not interwork TLS and TCP. T.38 fax (GW-7): plain {@code udptl} relayed with
 * each datagram checked as UDPTL, and {@code UDP/TLS/UDPTL} relayed as datagrams untouched, end to end, as TLS is
 * (the e2ae DTLS of the access edge never reaches Ix).
 */
public record TrgwProfile() implements GatewayProfile {

    @Override
    public String name() {
        return "trgw"; // unverified: TS 29.238 profile identification (configurable)
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public String reference() {
        return "Ix, TS 29.238";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP_MSRP, Transport.TCP_TLS_MSRP, Transport.TCP_BFCP, Transport.TCP_TLS_BFCP,
                Transport.UDPTL, Transport.UDP_TLS_UDPTL);
    }

    @Override
    public boolean terminatesTls() {
        return false;
    }

    @Override
    public Optional<ErrorDescriptor> checkPair(Transport a, Transport b) {
        return a.isTls() == b.isTls() ? Optional.empty()
                : Optional.of(ErrorDescriptor.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the TrGW relays TLS and DTLS end to end and does not interwork "
                        + a + " with " + b));
    }

    @Override
    public ContextMedia newContextMedia(MediaServices services) {
        return new RelayMedia(this, services);
    }
}
