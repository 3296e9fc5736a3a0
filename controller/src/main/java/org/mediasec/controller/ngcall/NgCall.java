package org.mediasec.controller.ngcall;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.mediasec.ng.message.NgReply;
import org.mediasec.sdp.SessionDescription;

/**
 * One call as the ng adapter keys it, the way rtpengine does: by {@code call-id}, its caller known by the first
 * offer's {@code from-tag}, its dialogs (forks) by the other party's tag. Each unanswered offer and each dialog is a
 * call of its own in the call procedures ({@link #pending}, {@link Branch#procedure}). Touched only on the
 * controller's thread (as the procedures are).
 */
final class NgCall {

    /** An ng request and the reply it got, kept so that the same request again gets the same reply (retransmissions). */
    record Exchange(String request, CompletableFuture<NgReply> reply) {}

    /** One dialog of the call: the party that answered with {@link #tag}, and its procedures call. */
    static final class Branch {
        final String tag;
        final String procedure;
        /** The last offer on this dialog (a re-offer) and the last answer, for their retransmissions. */
        Exchange lastOffer;
        Exchange lastAnswer;
        /** Why the media plane released this dialog, once it did. */
        Optional<String> released = Optional.empty();

        Branch(String tag, String procedure) {
            this.tag = tag;
            this.procedure = procedure;
        }
    }

    final String id;
    final String callerTag;
    final NgParties.Sides sides;
    /** The caller's first offer, replayed for a fork that answers once every anchored offer has its dialog. */
    final SessionDescription firstOffer;
    final long created;
    long lastSignal;
    /** The caller's offers by {@code via-branch} ("" without one): what each was answered, for retransmissions. */
    final Map<String, Exchange> offers = new LinkedHashMap<>();
    /** Offers anchored and waiting for their first answer, by {@code via-branch}: their procedures calls. */
    final Map<String, String> pending = new LinkedHashMap<>();
    /** The dialogs, by the answering party's tag. */
    final Map<String, Branch> branches = new LinkedHashMap<>();
    ScheduledFuture<?> deleteTimer;

    NgCall(String id, String callerTag, NgParties.Sides sides, SessionDescription firstOffer, long now) {
        this.id = id;
        this.callerTag = callerTag;
        this.sides = sides;
        this.firstOffer = firstOffer;
        this.created = now;
        this.lastSignal = now;
    }

    /**
     * The dialog a request names: its tags are the caller's and the other party's (in either order: the party that
     * sends the SIP message is the {@code from-tag}), so the tag that is not the caller's names the dialog.
     */
    Optional<Branch> branch(String fromTag, Optional<String> toTag) {
        String other = fromTag.equals(callerTag) ? toTag.orElse(null) : fromTag;
        return other == null ? Optional.empty() : Optional.ofNullable(branches.get(other));
    }

    /** Procedures calls the call holds: offers waiting and dialogs not released. */
    int live() {
        return pending.size() + (int) branches.values().stream().filter(branch -> branch.released.isEmpty()).count();
    }

    /** Offers waiting and dialogs, released or not: what one call may hold at most. */
    int parts() {
        return pending.size() + branches.size();
    }

    void cancelDelete() {
        if (deleteTimer != null) {
            deleteTimer.cancel(false);
            deleteTimer = null;
        }
    }
}
