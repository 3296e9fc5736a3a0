package org.mediasec.controller.ngcall;

import java.util.List;
import org.mediasec.controller.alg.Party;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.sdp.SessionDescription;

/**
 * Who offers and who answers, from what an ng request says: rtpengine's {@code direction} (one interface name per
 * side, the offerer's first; Kamailio's {@code direction=access direction=core}) mapped through the configured
 * access and core names, else the configured default; whether an access UE registered e2ae support from the
 * {@code e2ae} / {@code no-e2ae} flags, else the configured default; an access offerer's {@code received-from}
 * (TR 29.828 4.4.2.3: behind a NAT when it differs from the SDP address). Pure.
 */
final class NgParties {

    /** The access UE registered e2ae support (TS 33.328 7.1): an offer towards it gets TLS from the gateway (CTRL-2). */
    static final String E2AE = "e2ae";
    static final String NO_E2AE = "no-e2ae";

    /** The two parties of an offer. */
    record Sides(Party offerer, Party answerer) {}

    private NgParties() {}

    /**
     * The parties of a first offer. An access UE that requests e2ae in it ({@code a=3ge2ae:requested}, TS 24.229)
     * supports e2ae whatever the flags say: when the other party re-offers later, the stream towards it stays TLS.
     *
     * @throws NgRefusal when {@code direction} names an interface that is neither access nor core
     */
    static Sides of(NgParameters parameters, NgCallConfig config, SessionDescription offer) throws NgRefusal {
        List<String> direction = parameters.direction().isEmpty() ? config.defaultDirection() : parameters.direction();
        boolean e2ae = parameters.hasFlag(E2AE) || (config.e2aeByDefault() && !parameters.hasFlag(NO_E2AE));
        boolean requested = offer.media().stream().anyMatch(media -> media.e2aeIndicator().filter("requested"::equals).isPresent());
        Party offerer = party(direction.get(0), e2ae || requested, config);
        if (offerer.isAccess() && parameters.receivedFrom().isPresent()) {
            // where the offer's SIP came from: the IMS-ALG compares it with the SDP address (NatTraversalPolicy)
            offerer = offerer.withReceivedFrom(parameters.receivedFrom().get().address());
        }
        // one name: both sides on that interface (rtpengine reuses the first for the second)
        Party answerer = party(direction.size() > 1 ? direction.get(1) : direction.get(0), e2ae, config);
        return new Sides(offerer, answerer);
    }

    private static Party party(String name, boolean e2ae, NgCallConfig config) throws NgRefusal {
        if (config.accessInterfaces().contains(name)) {
            return Party.accessUe(e2ae);
        }
        if (config.coreInterfaces().contains(name)) {
            return Party.core();
        }
        throw new NgRefusal("Unknown interface '" + name + "' in direction (access: " + config.accessInterfaces() + ", core: "
                + config.coreInterfaces() + ")");
    }
}
