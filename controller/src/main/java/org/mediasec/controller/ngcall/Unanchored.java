package org.mediasec.controller.ngcall;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.controller.alg.SdpChecks;
import org.mediasec.controller.alg.StreamPolicy;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;

/**
 * The m-lines of an offer that mediasec does not carry (audio and video over RTP, anything but MSRP and BFCP over
 * TCP): they pass on untouched, which an ng reply says in a {@code warning}, so that a deployment can chain
 * rtpengine for the RTP; or, asked to, the offer is refused. Pure.
 */
final class Unanchored {

    /** The ng flag that refuses an offer with m-lines mediasec does not carry. */
    static final String REFUSE_FLAG = "refuse-unanchored";

    private Unanchored() {}

    /** The m-lines left alone, described ("0 audio RTP/AVP"); port-0 m-lines are not counted (nothing to carry). */
    static List<String> of(SessionDescription sdp) {
        List<String> left = new ArrayList<>();
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription media = sdp.media().get(i);
            if (!SdpChecks.refused(media) && StreamPolicy.anchoredApplication(media).isEmpty()) {
                left.add(i + " " + media.mediaLine().media() + " " + media.transport().token());
            }
        }
        return left;
    }

    /** The warning for an offer, or the refusal when {@code refuse}. */
    static Optional<String> warning(SessionDescription sdp, boolean refuse) throws NgRefusal {
        List<String> left = of(sdp);
        if (left.isEmpty()) {
            return Optional.empty();
        }
        if (refuse) {
            throw new NgRefusal("Media not carried by mediasec (" + REFUSE_FLAG + "): m-line " + String.join(", m-line ", left));
        }
        return Optional.of("m-lines passed on unanchored (not MSRP or BFCP over TCP): " + String.join(", ", left));
    }
}
