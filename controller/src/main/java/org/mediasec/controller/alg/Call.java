package org.mediasec.controller.alg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.sdp.SessionDescription;

/**
 * A call as the procedures hold it between offer, answer and release. Touched only on the procedures' thread, except
 * {@link #gateway}, which other threads may read (volatile).
 */
final class Call {

    enum State { OFFERING, OFFERED, ANSWERING, ANSWERED, RELEASED }

    final String id;
    final Party offerer;
    final Party answerer;
    final SessionDescription offer;
    final List<AnchoredStream> streams = new ArrayList<>();
    volatile Optional<ControlledGateway> gateway = Optional.empty();
    State state = State.OFFERING;

    Call(String id, Party offerer, Party answerer, SessionDescription offer) {
        this.id = id;
        this.offerer = offerer;
        this.answerer = answerer;
        this.offer = offer;
    }
}
