package org.mediasec.controller.mrfc;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.alg.SdpChecks;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayListener;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.InSequence;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MRFC of end-to-end protected conferences (seed 003 = TR 29.828 7.2; TS 33.328 Annex G/H): it keeps each
 * conference in one context of an MRFP, one termination per participant and stream, and keys each TLS stream
 * with the TEK of its own MIKEY-TICKET crypto session (E2E-4, E2E-5).
 *
 * <ul>
 *   <li>Dial-in (E2E-1): the UE's offer carries TRANSFER_INIT in {@code a=key-mgmt:mikey} at each {@code X/TLS/Y}
 *       m-line (the k-th such m-line is crypto session k, E2E-6). The MRFC, as the conference's identity, has the KMS
 *       resolve the ticket, checks that the initiator is the SIP From (E2E-7) and may join (E2E-3), adds the
 *       terminations with the UE's address and the PSKs, the MRFP active and TLS client, and answers with
 *       TRANSFER_RESP and {@code a=setup:active}.</li>
 *   <li>Dial-out (E2E-2): the MRFC gets a ticket for the target from the KMS, reserves the terminations with
 *       {@code a=setup:actpass}, offers TRANSFER_INIT; on the answer it checks TRANSFER_RESP, derives the TEKs and
 *       tells the MRFP the UE's end and the PSKs; the UE connects and starts TLS (the MRFP is server).</li>
 *   <li>Refusals are SIP statuses ({@link OfferRejectedException}): 404 unknown conference, 403 identity not the
 *       From or not on the roster, 606 key management refused (RFC 4567 6), 488 SDP, 503 no MRFP or KMS; nothing is
 *       left on the MRFP.</li>
 * </ul>
 *
 * <p>Thread rule: all state is touched on the controller's one thread ({@link MediaGatewayController#executor()}),
 * where MRFP replies and events arrive; KMS exchanges and roster questions block, so they run on
 * {@code kmsExecutor} ({@link ConferenceKeys}) and their results come back to that thread. {@link #participants()}
 * reads a concurrent map from any thread.
 */
@Implements({"E2E-1", "E2E-2"})
public final class MrfcProcedures implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(MrfcProcedures.class);

    /** A conference this MRFC serves: its identity (KMS UID, the conference URI) and its key at the KMS. */
    public record ConferenceIdentity(KmsUid uri, byte[] kmsKey) {
        public ConferenceIdentity {
            kmsKey = kmsKey.clone();
        }

        @Override
        public String toString() {
            return "ConferenceIdentity[" + uri + ", key not shown]";
        }
    }

    /** What the MRFC offers on one m-line of a dial-out. */
    public record StreamOffer(String media, Transport transport) {}

    private final MediaGatewayController controller;
    private final Executor thread;
    private final String realm;
    private final ConferenceRoster roster;
    private final Executor kmsExecutor;
    private final ConferenceListener listener;
    private final ConferenceKeys keys;
    private final Map<KmsUid, Conference> conferences = new ConcurrentHashMap<>();
    private final Map<String, Participant> participants = new ConcurrentHashMap<>();

    public MrfcProcedures(MediaGatewayController controller, String realm, KmsUid kmsUid, KmsClient kms, ConferenceRoster roster, Clock clock,
            Executor kmsExecutor, ConferenceListener listener) {
        this.controller = controller;
        this.thread = controller.executor();
        this.realm = realm;
        this.roster = roster;
        this.kmsExecutor = kmsExecutor;
        this.listener = listener;
        this.keys = new ConferenceKeys(kmsUid, kms, roster, clock, listener);
        controller.addListener(this);
    }

    /** Serves conference {@code identity.uri()} from now on. */
    public void addConference(ConferenceIdentity identity) {
        conferences.put(identity.uri(), new Conference(identity));
    }

    /** Participants with media on the MRFP (dial-in answered, dial-out offered or answered). */
    public int participants() {
        return participants.size();
    }

    private <T> CompletableFuture<T> onThread(Supplier<CompletableFuture<T>> work) {
        return CompletableFuture.supplyAsync(work, thread).thenCompose(Function.identity());
    }

    /** Blocking work (the KMS, the roster) on the KMS executor; its result comes back on the procedures' thread. */
    private <T> CompletableFuture<T> blocking(Blocking<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (OfferRejectedException e) {
                throw new CompletionException(e);
            }
        }, kmsExecutor).thenApplyAsync(Function.identity(), thread);
    }

    @FunctionalInterface
    private interface Blocking<T> {
        T get() throws OfferRejectedException;
    }

    // ---- dial-in --------------------------------------------------------------------------------------------

    /** A UE's INVITE to {@code conferenceUri} from {@code fromUri}; completes with the SDP answer. */
    public CompletableFuture<SessionDescription> dialIn(String callId, String conferenceUri, String fromUri, SessionDescription offer) {
        return onThread(() -> {
            Conference conference;
            List<ConferenceStream> streams;
            Optional<byte[]> transferInit;
            try {
                conference = conference(conferenceUri);
                streams = ConferenceSdp.streams(offer);
                transferInit = ConferenceSdp.keyManagement(offer, streams);
            } catch (OfferRejectedException e) {
                return CompletableFuture.failedFuture(e);
            }
            KmsUid from = KmsUid.fromSipUri(fromUri);
            Participant participant = new Participant(callId, conference, from, streams, false);
            if (participants.putIfAbsent(callId, participant) != null) {
                return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + callId + " is already in a conference"));
            }
            CompletableFuture<Optional<SessionKeys>> keyed = transferInit.isEmpty()
                    ? blocking(() -> mayJoin(from, conference)).thenApply(allowed -> Optional.empty())
                    : blocking(() -> keys.resolve(callId, conference.identity, from, transferInit.get())).thenApply(resolved -> {
                        participant.transferResp = Optional.of(resolved.transferResp());
                        return Optional.of(resolved.keys());
                    });
            return keyed.thenCompose(tek -> conference.serialized(() -> addAll(participant, offer, tek)))
                    .thenApply(done -> ConferenceSdp.describe(participant, participant.transferResp))
                    .exceptionallyCompose(error -> abandon(participant, error));
        });
    }

    /** E2E-3 for a stream without MIKEY (plain TCP): the roster alone decides. */
    private boolean mayJoin(KmsUid who, Conference conference) throws OfferRejectedException {
        if (!roster.mayJoin(who, conference.identity.uri())) {
            throw new OfferRejectedException(403, who + " may not join " + conference.identity.uri() + " (E2E-3)");
        }
        return true;
    }

    // ---- dial-out -------------------------------------------------------------------------------------------

    /**
     * The MRFC invites {@code targetUri} into the conference with these streams (media and transport per m-line);
     * completes with the offer to send.
     */
    public CompletableFuture<SessionDescription> dialOut(String callId, String conferenceUri, String targetUri, List<StreamOffer> offered) {
        return onThread(() -> {
            Conference conference;
            try {
                conference = conference(conferenceUri);
            } catch (OfferRejectedException e) {
                return CompletableFuture.failedFuture(e);
            }
            KmsUid target = KmsUid.fromSipUri(targetUri);
            List<ConferenceStream> streams = new ArrayList<>();
            int tls = 0;
            for (int i = 0; i < offered.size(); i++) {
                StreamOffer stream = offered.get(i);
                streams.add(new ConferenceStream(i, stream.media(), stream.transport(), stream.transport().isTls() ? ++tls : 0));
            }
            int cryptoSessions = tls;
            return blocking(() -> mayJoin(target, conference)).thenCompose(allowed -> {
                Participant participant = new Participant(callId, conference, target, streams, true);
                if (participants.putIfAbsent(callId, participant) != null) {
                    return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + callId + " is already in a conference"));
                }
                CompletableFuture<Void> ticket = cryptoSessions == 0 ? CompletableFuture.completedFuture(null)
                        : blocking(() -> keys.ticket(callId, conference.identity, target, cryptoSessions)).thenAccept(issued -> {
                            participant.initiator = issued.initiator();
                            participant.pendingTransfer = issued.transfer();
                        });
                return ticket.thenCompose(done -> conference.serialized(() -> addAll(participant, null, Optional.empty())))
                        .thenApply(done -> ConferenceSdp.describe(participant,
                                Optional.ofNullable(participant.pendingTransfer).map(TicketInitiator.PendingTransfer::message)))
                        .exceptionallyCompose(error -> abandon(participant, error));
            });
        });
    }

    /** The UE's answer to a dial-out: TRANSFER_RESP checked, TEKs derived, the MRFP told the UE's end and the PSKs. */
    public CompletableFuture<Void> dialOutAnswered(String callId, SessionDescription answer) {
        return onThread(() -> {
            Participant participant = participants.get(callId);
            if (participant == null || !participant.dialOut) {
                return CompletableFuture.failedFuture(new OfferRejectedException(481, "no dial-out " + callId));
            }
            Optional<SessionKeys> tek = Optional.empty();
            try {
                if (answer.media().size() != participant.streams.size()) {
                    throw new OfferRejectedException(488, "the answer has " + answer.media().size() + " m-lines, the offer " + participant.streams.size());
                }
                Optional<byte[]> transferResp = ConferenceSdp.keyManagement(answer, participant.streams);
                if (participant.pendingTransfer != null) {
                    byte[] resp = transferResp.orElseThrow(() -> new OfferRejectedException(606, "the answer has no TRANSFER_RESP in a=key-mgmt"));
                    tek = Optional.of(keys.acceptTransferResp(participant, resp));
                }
            } catch (OfferRejectedException e) {
                return abandon(participant, e);
            }
            Optional<SessionKeys> accepted = tek;
            return participant.conference.serialized(() -> configureAll(participant, answer, accepted))
                    .exceptionallyCompose(error -> abandon(participant, error));
        });
    }

    // ---- leaving --------------------------------------------------------------------------------------------

    /** The participant's BYE (or the dial-out's rejection): its terminations are subtracted. */
    public CompletableFuture<Void> leave(String callId) {
        return onThread(() -> {
            Participant participant = participants.remove(callId);
            return participant == null ? CompletableFuture.completedFuture(null) : participant.conference.serialized(() -> subtractAll(participant));
        });
    }

    // ---- the MRFP -----------------------------------------------------------------------------------------

    /** Adds the participant's streams one per action, so that a failure leaves only what is then subtracted. */
    private CompletableFuture<Void> addAll(Participant participant, SessionDescription offer, Optional<SessionKeys> tek) {
        Conference conference = participant.conference;
        if (conference.gateway == null || !conference.gateway.registered()) {
            conference.gateway = controller.pick(realm).orElse(null);
            conference.context = null;
            if (conference.gateway == null) {
                return CompletableFuture.failedFuture(new OfferRejectedException(503, "no MRFP of realm " + realm + " is registered"));
            }
        }
        ControlledGateway gateway = conference.gateway;
        return InSequence.run(participant.streams, stream -> {
            ParticipantRequest request;
            if (!participant.dialOut) {
                MediaDescription media = offer.media().get(stream.index);
                // E2E-1: the MRFP connects and starts TLS once TCP is up (it is TCP and TLS client)
                Setup mrfp = SdpChecks.opposite(media.setup().orElse(Setup.ACTIVE));
                request = new ParticipantRequest(stream.media, stream.transport, mrfp, Optional.of(ParticipantRequest.remote(offer, media)),
                        psk(stream, tek), mrfp == Setup.ACTIVE);
            } else {
                request = new ParticipantRequest(stream.media, stream.transport, Setup.ACTPASS, Optional.empty(), Optional.empty(), false);
            }
            ContextId context = conference.context == null ? ContextId.CHOOSE : conference.context;
            return gateway.commands().add(context, TerminationId.of("ip/$"), request.descriptors()).thenAccept(result -> {
                if (conference.context == null) {
                    conference.context = result.contextId();
                    gateway.contextCreated();
                }
                stream.termination = result.reply().terminationId();
                stream.local = ConferenceSdp.localMedia(result.reply());
                LOG.atInfo().addKeyValue("call", participant.callId).addKeyValue("conference", conference.identity.uri())
                        .addKeyValue("termination", stream.termination).log("{} {} of {} on the MRFP", stream.media, stream.transport, participant.identity);
            });
        });
    }

    private CompletableFuture<Void> configureAll(Participant participant, SessionDescription answer, Optional<SessionKeys> tek) {
        Conference conference = participant.conference;
        List<ConferenceStream> answered = new ArrayList<>();
        List<ParticipantRequest> requests = new ArrayList<>();
        try {
            for (ConferenceStream stream : participant.streams) {
                MediaDescription media = answer.media().get(stream.index);
                if (SdpChecks.refused(media)) {
                    continue; // its termination stays until the participant leaves
                }
                Setup mrfp = SdpChecks.opposite(SdpChecks.answeredSetup(media, stream.index));
                SdpChecks.connection(answer, media, stream.index, "answer");
                // E2E-2: the UE connects and starts TLS-PSK, the MRFP is server (and client when the UE chose passive)
                answered.add(stream);
                requests.add(new ParticipantRequest(stream.media, stream.transport, mrfp, Optional.of(ParticipantRequest.remote(answer, media)),
                        psk(stream, tek), mrfp == Setup.ACTIVE));
            }
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return InSequence.run(answered, stream -> conference.gateway.commands()
                .modify(conference.context, stream.termination, requests.get(answered.indexOf(stream)).descriptors())
                .thenAccept(result -> stream.local = ConferenceSdp.localMedia(result.reply())));
    }

    private static Optional<byte[]> psk(ConferenceStream stream, Optional<SessionKeys> tek) {
        return stream.transport.isTls() ? tek.flatMap(k -> k.tek(stream.cryptoSession)) : Optional.empty();
    }

    private CompletableFuture<Void> subtractAll(Participant participant) {
        Conference conference = participant.conference;
        List<ConferenceStream> onMrfp = participant.streams.stream().filter(stream -> stream.termination != null && conference.context != null).toList();
        return InSequence.run(onMrfp, stream -> {
            TerminationId termination = stream.termination;
            stream.termination = null;
            return conference.gateway.commands().subtract(conference.context, termination, Optional.empty()).handle((reply, error) -> {
                if (error != null) {
                    LOG.atWarn().addKeyValue("call", participant.callId).log("Subtract of {} failed: {}", termination, OfferRejectedException.unwrap(error).getMessage());
                }
                return null;
            });
        }).thenRun(() -> {
            boolean empty = participants.values().stream().noneMatch(p -> p.conference == conference && p.onMrfp());
            if (empty && conference.context != null) {
                conference.gateway.contextReleased();
                conference.context = null; // the MRFP removes a context left without terminations
            }
        });
    }

    private <T> CompletableFuture<T> abandon(Participant participant, Throwable error) {
        participants.remove(participant.callId, participant);
        return OfferRejectedException.afterCleanup(error, "MRFP",
                rejected -> LOG.atInfo().addKeyValue("call", participant.callId).log("participant refused ({}): {}", rejected.sipStatus(), rejected.getMessage()),
                () -> participant.conference.serialized(() -> subtractAll(participant)));
    }

    private Conference conference(String uri) throws OfferRejectedException {
        KmsUid id = KmsUid.fromSipUri(uri);
        Conference conference = conferences.get(id);
        if (conference == null) {
            throw new OfferRejectedException(404, "no conference " + id + " here");
        }
        return conference;
    }

    // ---- MRFP events (on the controller's thread) ------------------------------------------------------------

    @Override
    public void onEvent(ControlledGateway gateway, ContextId context, TerminationId termination, GatewayEvent event) {
        for (Participant participant : participants.values()) {
            Conference conference = participant.conference;
            if (conference.gateway != gateway || !context.equals(conference.context)) {
                continue;
            }
            for (ConferenceStream stream : participant.streams) {
                if (termination.equals(stream.termination)) {
                    listener.onBearerEvent(participant.callId, stream.index, event);
                    if (event instanceof GatewayEvent.Failure failure && participants.remove(participant.callId, participant)) {
                        conference.serialized(() -> subtractAll(participant));
                        listener.onParticipantReleased(participant.callId, failure.describe() + " on m-line " + stream.index);
                    }
                    return;
                }
            }
        }
    }

    @Override
    public void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again) {
        if (again) {
            releaseParticipantsOn(gateway, "MRFP " + gateway.name() + " restarted: the conference's media is gone");
        }
    }

    @Override
    public void onOutOfService(ControlledGateway gateway, MgcRegistrar.Registration change) {
        releaseParticipantsOn(gateway, "MRFP " + gateway.name() + " out of service (ServiceChange Forced): the conference's media is gone");
    }

    /** Every participant on {@code gateway} released: the MRFP has lost the conference's context. */
    private void releaseParticipantsOn(ControlledGateway gateway, String reason) {
        for (Participant participant : List.copyOf(participants.values())) {
            if (participant.conference.gateway == gateway && participants.remove(participant.callId, participant)) {
                participant.streams.forEach(stream -> stream.termination = null);
                participant.conference.context = null;
                listener.onParticipantReleased(participant.callId, reason);
            }
        }
    }
}
