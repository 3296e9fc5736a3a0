package org.mediasec.controller.alg;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    /**
     * Where a party's SIP came from as learnt after the first offer: from its answer (the ng {@code answer}'s
     * {@code received-from}; TR 29.828 4.4.2.3 for a UE that answers from behind a NAT).
     */
    private final Map<CallSide, String> receivedFrom = new EnumMap<>(CallSide.class);

    Call(String id, Party caller, Party callee) {
        this.id = id;
        this.caller = caller;
        this.callee = callee;
    }

    /** The party on {@code side}, with where its SIP came from when that was learnt later ({@link #receivedFrom}). */
    Party party(CallSide side) {
        Party party = side == CallSide.CALLER ? caller : callee;
        String learnt = receivedFrom.get(side);
        return learnt == null ? party : party.withReceivedFrom(learnt);
    }

    /** The SIP message of {@code side}'s party came from {@code address} (an IP literal, checked by {@link Party}). */
    void receivedFrom(CallSide side, String address) {
        Party checked = party(side).withReceivedFrom(address);
        receivedFrom.put(side, checked.receivedFrom().orElseThrow());
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
