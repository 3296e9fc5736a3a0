package org.mediasec.controller.mrfc;

import java.util.List;
import java.util.Optional;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.TicketInitiator;

/**
 * One participant's call into a conference: who it is (its KMS UID, E2E-7), its streams, and the MIKEY-TICKET state
 * of a dial-out (the pending TRANSFER_INIT) or dial-in (the TRANSFER_RESP to answer with). Touched only on the
 * procedures' thread.
 */
final class Participant {

    final String callId;
    final Conference conference;
    final KmsUid identity;
    final List<ConferenceStream> streams;
    final boolean dialOut;
    TicketInitiator initiator;
    TicketInitiator.PendingTransfer pendingTransfer;
    Optional<byte[]> transferResp = Optional.empty();

    Participant(String callId, Conference conference, KmsUid identity, List<ConferenceStream> streams, boolean dialOut) {
        this.callId = callId;
        this.conference = conference;
        this.identity = identity;
        this.streams = streams;
        this.dialOut = dialOut;
    }

    /** Whether any of its streams still has a termination on the MRFP. */
    boolean onMrfp() {
        return streams.stream().anyMatch(stream -> stream.termination != null);
    }
}
