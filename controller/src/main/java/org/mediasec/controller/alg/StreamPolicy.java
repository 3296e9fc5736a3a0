package org.mediasec.controller.alg;

import java.util.Optional;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.Transport;

/** Which m-lines a procedure anchors on its gateway, and how (IMS-ALG: {@link ImsAlgPolicy}; IBCF: {@link IbcfPolicy}). */
public interface StreamPolicy {

    /** The plan for m-line {@code index} of an offer, or empty to leave the m-line alone. */
    Optional<StreamPlan> plan(int index, MediaDescription offered, Party offerer, Party answerer) throws OfferRejectedException;

    /** The transport the gateway runs on a leg of {@code security} for an m-line offered with {@code offered}. */
    Transport gatewayTransport(LegSecurity security, Transport offered);

    /** The m-line's transport as the party on a leg of {@code security} sees it. */
    default Transport partyTransport(LegSecurity security, Transport offered) {
        return switch (security) {
            case TLS -> offered.withTls();
            case TCP -> offered.withoutTls();
            case TRANSPARENT -> offered;
        };
    }

    /**
     * MSRP or BFCP over TCP, T.38 fax over UDPTL ({@code udptl}, {@code UDP/TLS/UDPTL}: GW-7, RFC 7345): the media this
     * product anchors (RTP and others pass the IMS-ALG untouched).
     */
    static Optional<String> anchoredApplication(MediaDescription media) {
        Transport transport = media.transport();
        String application = transport.application();
        boolean carried = transport.isTcp() ? application.equals("MSRP") || application.equals("BFCP") : application.equals("UDPTL");
        if (carried && media.mediaLine().portNumber().orElse(0) != 0) {
            return Optional.of(application);
        }
        return Optional.empty();
    }

    /** Whether the m-line's media travels in UDP datagrams (T.38 fax) rather than over TCP. */
    static boolean datagram(Transport transport) {
        return !transport.isTcp();
    }
}
