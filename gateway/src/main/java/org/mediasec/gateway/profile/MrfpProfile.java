package org.mediasec.gateway.profile;

import java.util.Set;
import org.mediasec.gateway.context.ContextMedia;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.gateway.mrfp.ConferenceMedia;
import org.mediasec.sdp.Transport;

/**
 * MRFP on Mp (TS 29.333, seed 003 = TR 29.828 7.2): the conference server at the end of each participant's
 * end-to-end protected stream (GW-4). A context is a conference; each termination is one participant's MSRP or
 * BFCP stream, over TCP or over TLS-PSK keyed by the TEK the MRFC hands over (E2E-5). Behind it, the MSRP conference
 * focus passes every message to the other members (RFC 7701), and the floor control server (RFC 8855) answers each
 * participant on its own connection.
 */
public record MrfpProfile(int maxParticipants) implements GatewayProfile {

    public static final int DEFAULT_MAX_PARTICIPANTS = 64;

    public MrfpProfile {
        if (maxParticipants < 1 || maxParticipants > 0xffff) {
            throw new IllegalArgumentException("maxParticipants must be 1..65535: " + maxParticipants);
        }
    }

    @Override
    public String name() {
        return "mrfp"; // unverified: TS 29.333 profile identification (configurable)
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public String reference() {
        return "Mp, TS 29.333";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP_MSRP, Transport.TCP_TLS_MSRP, Transport.TCP_BFCP, Transport.TCP_TLS_BFCP);
    }

    @Override
    public boolean terminatesTls() {
        return true;
    }

    @Override
    public boolean conference() {
        return true;
    }

    @Override
    public int maxTerminationsPerContext() {
        return maxParticipants;
    }

    @Override
    public boolean pskTls() {
        return true;
    }

    @Override
    public ContextMedia newContextMedia(MediaServices services) {
        return new ConferenceMedia(this, services);
    }
}
