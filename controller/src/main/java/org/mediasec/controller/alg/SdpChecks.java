package org.mediasec.controller.alg;

import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;

/**
 * The checks every controller procedure makes on an offered or answered m-line before it configures a gateway
 * (IMS-ALG, IBCF, MRFC), each a SIP refusal with 488 Not Acceptable Here when it fails.
 */
public final class SdpChecks {

    private SdpChecks() {}

    /** RFC 3264 6: an answered port of 0 refuses the stream. */
    public static boolean refused(MediaDescription answered) {
        return answered.mediaLine().portNumber().orElse(0) == 0;
    }

    /** RFC 8866 5.7: the m-line's connection address (its own c= or the session's). */
    public static String connection(SessionDescription sdp, MediaDescription media, int index, String which) throws OfferRejectedException {
        return sdp.connectionData(media).orElseThrow(() -> new OfferRejectedException(488, "m-line " + index + " of the " + which
                + " has no c= (RFC 8866 5.7)"));
    }

    /** RFC 4145 4.1: an offer without a=setup is active; holdconn is not supported. */
    public static Setup offeredSetup(MediaDescription offered, int index) throws OfferRejectedException {
        Setup setup = offered.setup().orElse(Setup.ACTIVE);
        if (setup == Setup.HOLDCONN) {
            throw new OfferRejectedException(488, "m-line " + index + ": a=setup:holdconn is not supported");
        }
        return setup;
    }

    /** RFC 4145 4.1: an answer's a=setup is active or passive, passive when absent. */
    public static Setup answeredSetup(MediaDescription answered, int index) throws OfferRejectedException {
        Setup setup = answered.setup().orElse(Setup.PASSIVE);
        if (setup == Setup.ACTPASS || setup == Setup.HOLDCONN) {
            throw new OfferRejectedException(488, "m-line " + index + ": an answer must be active or passive, not " + setup.token() + " (RFC 4145 4.1)");
        }
        return setup;
    }

    /** RFC 4145 4.1 again: the role the gateway takes opposite a peer's answered role. */
    public static Setup opposite(Setup answered) {
        return answered == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE;
    }
}
