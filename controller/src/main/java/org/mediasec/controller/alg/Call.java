package org.mediasec.controller.alg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.sdp.SessionDescription;

/**
 * A call as the procedures hold it: its parties, the offer/answer exchange in progress (the first one or a re-offer,
 * RFC 3264 8), and its anchored streams. Touched only on the procedures' thread, except {@link #gateway}, which
 * other threads may read (volatile).
 */
final class Call {

    /**
     * Where the call is: an offer is being anchored, is out waiting for its answer, the answer is being applied, or
     * the exchange is done (a re-offer may start); released at the end.
     */
    enum State { OFFERING, OFFERED, ANSWERING, ANSWERED, RELEASED }

    final String id;
    final Party caller;
    final Party callee;
    /** The anchored streams, live and released, in the order they were anchored. */
    final List<AnchoredStream> streams = new ArrayList<>();
    volatile Optional<ControlledGateway> gateway = Optional.empty();
    State state = State.OFFERING;
    /** The offer being answered, and who made it. */
    SessionDescription offer;
    CallSide offerer = CallSide.CALLER;
    /** The m-lines of the last offer (RFC 3264 8: a re-offer keeps at least as many). */
    int mediaLines;
    /** A re-offer's changes to the streams, applied with its answer (empty for the first offer). */
    List<StreamChange> changes = List.of();

    Call(String id, Party caller, Party callee) {
        this.id = id;
        this.caller = caller;
        this.callee = callee;
    }

    Party party(CallSide side) {
        return side == CallSide.CALLER ? caller : callee;
    }

    /** The live stream of m-line {@code index}, if it is anchored. */
    Optional<AnchoredStream> stream(int index) {
        return streams.stream().filter(s -> !s.released && s.mediaIndex() == index).findFirst();
    }

    /** The live streams. */
    List<AnchoredStream> live() {
        return streams.stream().filter(s -> !s.released).toList();
    }
}
