package org.mediasec.msrp.relay;

import java.util.List;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.traceability.Implements;

/**
 * One direction of an MSRP-aware relay (GW-6; TR 29.828 4.1.2, RFC 4975 without CEMA): a frame that arrives on
 * one leg must be addressed to the gateway's own URI on that leg (session matching, RFC 4975 7.3), and leaves on
 * the other leg with To-Path set to the far peer's path and From-Path to the gateway's URI on that leg.
 *
 * @param ownUriOnIncomingLeg the gateway's a=path URI offered to the sender
 * @param toPathOnOutgoingLeg the receiver's a=path
 * @param fromPathOnOutgoingLeg the gateway's a=path URI offered to the receiver
 */
@Implements("GW-6")
public record MsrpPathRewrite(MsrpUri ownUriOnIncomingLeg, List<MsrpUri> toPathOnOutgoingLeg, List<MsrpUri> fromPathOnOutgoingLeg) {

    public MsrpPathRewrite {
        toPathOnOutgoingLeg = List.copyOf(toPathOnOutgoingLeg);
        fromPathOnOutgoingLeg = List.copyOf(fromPathOnOutgoingLeg);
    }

    /**
     * The head to send on; a frame not addressed to us is refused with 481 (RFC 4975 7.3: "No session").
     */
    public MsrpFrameHead apply(MsrpFrameHead head) throws MsrpParseException {
        MsrpUri first = head.toPath().get(0);
        if (!first.matches(ownUriOnIncomingLeg)) {
            throw new MsrpParseException(0, 481, "To-Path " + first + " is not this session's " + ownUriOnIncomingLeg);
        }
        return head.withPaths(toPathOnOutgoingLeg, fromPathOnOutgoingLeg);
    }

}
