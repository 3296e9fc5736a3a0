package org.mediasec.gateway.mrfp;

import java.util.List;
import java.util.Optional;
import org.mediasec.bearer.RelayPair;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.Termination;
import org.mediasec.gateway.leg.PlannedLeg;
import org.mediasec.msrp.MsrpUri;

/**
 * One participant of an MRFP conference (GW-4): its stream's identifiers at the focus — BFCP's conference, user and
 * floor IDs (RFC 8856), or an MSRP member's path, accepted types and CPIM identity with the focus's own session
 * (RFC 4975 8, RFC 7701) — and its relay pair (the UE's leg on side A, the focus on side B). Used on the
 * conference's event loop only.
 */
final class Participant {

    final Termination termination;
    /** MSRP members only: the focus's session ID for this member (RFC 4975 14.1: unguessable). */
    final Optional<String> focusSessionId;
    Optional<Long> conferenceId = Optional.empty();
    Optional<Integer> userId = Optional.empty();
    List<String> floorIds = List.of();
    List<MsrpUri> msrpPath = List.of();
    List<String> acceptTypes = List.of();
    String identity = "";
    RelayPair pair;
    boolean opening;
    boolean releasing;
    /** Its bearer went by itself (TCP-8, TLS-10): the participant has left the media, none opens again. */
    boolean ended;

    Participant(Termination termination, boolean msrp) {
        this.termination = termination;
        this.focusSessionId = msrp ? Optional.of(MsrpMember.newSessionId()) : Optional.empty();
    }

    boolean msrp() {
        return focusSessionId.isPresent();
    }

    /** What a plan's SDP says of the participant, read (and checked) before anything changes. */
    record Reading(Optional<ConferenceIds> ids, Optional<MsrpMember> member) {

        static Reading of(PlannedLeg planned, boolean msrp) throws GatewayError {
            Optional<ConferenceIds> ids = Optional.empty();
            Optional<MsrpMember> member = Optional.empty();
            if (!msrp && planned.localMedia().isPresent()) {
                ids = Optional.of(ConferenceIds.of(planned.localMedia().get()));
            }
            if (msrp && planned.remote().isPresent()) {
                member = Optional.of(MsrpMember.of(planned.remote().get(), planned.remoteMedia().get()));
            }
            return new Reading(ids, member);
        }
    }

    /** Takes what was read; a later Local (e.g. the Modify that brings the PSK) keeps the IDs it does not restate. */
    void take(Reading reading) {
        reading.ids().ifPresent(ids -> {
            conferenceId = ids.conferenceId().or(() -> conferenceId);
            userId = ids.userId().or(() -> userId);
            floorIds = ids.floorIds().isEmpty() ? floorIds : ids.floorIds();
        });
        reading.member().ifPresent(member -> {
            msrpPath = member.path();
            acceptTypes = member.acceptTypes();
            identity = member.identity();
        });
    }

    /** The leg can open, and an MSRP member's path is known (the focus sends to it). */
    boolean complete() {
        return termination.complete() && (!msrp() || !msrpPath.isEmpty());
    }
}
