package org.mediasec.controller.mrfc;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayListener;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;
import org.mediasec.sdp.KeyManagement;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;
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
 * KMS exchanges are blocking HTTPS calls: they run on {@code kmsExecutor}, never on the H.248 thread.
 */
public final class MrfcProcedures implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(MrfcProcedures.class);
    private static final Duration TICKET_LIFETIME = Duration.ofHours(1);

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

    private final MediaGatewayController controller;
    private final String realm;
    private final KmsUid kmsUid;
    private final KmsClient kms;
    private final ConferenceRoster roster;
    private final Clock clock;
    private final Executor kmsExecutor;
    private final ConferenceListener listener;
    private final SecureRandom random = new SecureRandom();
    private final ReplayCache replayCache;
    private final Map<KmsUid, Conference> conferences = new ConcurrentHashMap<>();
    private final Map<String, Participant> participants = new ConcurrentHashMap<>();

    public MrfcProcedures(MediaGatewayController controller, String realm, KmsUid kmsUid, KmsClient kms, ConferenceRoster roster, Clock clock,
            Executor kmsExecutor, ConferenceListener listener) {
        this.controller = controller;
        this.realm = realm;
        this.kmsUid = kmsUid;
        this.kms = kms;
        this.roster = roster;
        this.clock = clock;
        this.kmsExecutor = kmsExecutor;
        this.listener = listener;
        this.replayCache = new ReplayCache(clock);
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

    // ---- dial-in --------------------------------------------------------------------------------------------

    /** A UE's INVITE to {@code conferenceUri} from {@code fromUri}; completes with the SDP answer. */
    public CompletableFuture<SessionDescription> dialIn(String callId, String conferenceUri, String fromUri, SessionDescription offer) {
        Conference conference;
        List<Stream> streams;
        Optional<byte[]> transferInit;
        try {
            conference = conference(conferenceUri);
            streams = streams(offer);
            transferInit = keyManagement(offer, streams);
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        KmsUid from = KmsUid.fromSipUri(fromUri);
        Participant participant = new Participant(callId, conference, from, streams);
        if (participants.putIfAbsent(callId, participant) != null) {
            return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + callId + " is already in a conference"));
        }
        CompletableFuture<Optional<SessionKeys>> keyed = transferInit.isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
                : CompletableFuture.supplyAsync(() -> resolve(callId, conference, from, transferInit.get(), participant), kmsExecutor).thenApply(Optional::of);
        return keyed.thenCompose(keys -> {
            if (keys.isEmpty() && !roster.mayJoin(from, conference.identity.uri())) {
                throw new CompletionException(new OfferRejectedException(403, from + " may not join " + conference.identity.uri() + " (E2E-3)"));
            }
            return conference.serialized(() -> addAll(participant, offer, keys, true));
        }).thenApply(done -> describe(participant, participant.transferResp))
                .exceptionallyCompose(error -> abandon(participant, error));
    }

    /** RESOLVE at the KMS, then the checks only an authenticated identity allows (E2E-3, E2E-7); TRANSFER_RESP. */
    private SessionKeys resolve(String callId, Conference conference, KmsUid from, byte[] transferInit, Participant participant) {
        ConferenceIdentity identity = conference.identity;
        TicketResponder responder = new TicketResponder(identity.uri(), identity.kmsKey(), kmsUid, clock, random, replayCache);
        try {
            listener.onMikey(callId, "TRANSFER_INIT", from.value());
            TicketResponder.ReceivedTransfer transfer = responder.acceptTransferInit(transferInit);
            if (!transfer.initiator().equals(from)) {
                throw new OfferRejectedException(403, "TRANSFER_INIT is from " + transfer.initiator() + ", the INVITE from " + from + " (E2E-7)");
            }
            if (!roster.mayJoin(transfer.initiator(), identity.uri())) {
                // checked before the KMS is asked, and again on the identity the KMS vouches for
                throw new OfferRejectedException(403, transfer.initiator() + " may not join " + identity.uri() + " (E2E-3)");
            }
            listener.onMikey(callId, "RESOLVE_INIT", "KMS");
            TicketResponder.Resolved resolved = kms.resolve(responder, transfer);
            listener.onMikey(callId, "RESOLVE_RESP", "KMS");
            if (!roster.mayJoin(resolved.initiator(), identity.uri())) {
                throw new OfferRejectedException(403, resolved.initiator() + " may not join " + identity.uri() + " (E2E-3)");
            }
            TicketResponder.Answer answer = responder.transferResp(resolved);
            participant.transferResp = Optional.of(answer.message());
            listener.onMikey(callId, "TRANSFER_RESP", from.value());
            return answer.keys();
        } catch (MikeyException e) {
            throw new CompletionException(new OfferRejectedException(606, "key management refused: " + e.getMessage(), e));
        } catch (IOException e) {
            throw new CompletionException(new OfferRejectedException(503, "the KMS could not be reached: " + e.getMessage(), e));
        } catch (OfferRejectedException e) {
            throw new CompletionException(e);
        }
    }

    // ---- dial-out -------------------------------------------------------------------------------------------

    /**
     * The MRFC invites {@code targetUri} into the conference with these streams (media and transport per m-line);
     * completes with the offer to send.
     */
    public CompletableFuture<SessionDescription> dialOut(String callId, String conferenceUri, String targetUri, List<StreamOffer> offered) {
        Conference conference;
        try {
            conference = conference(conferenceUri);
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        KmsUid target = KmsUid.fromSipUri(targetUri);
        if (!roster.mayJoin(target, conference.identity.uri())) {
            return CompletableFuture.failedFuture(new OfferRejectedException(403, target + " may not join " + conference.identity.uri() + " (E2E-3)"));
        }
        List<Stream> streams = new ArrayList<>();
        int tls = 0;
        for (int i = 0; i < offered.size(); i++) {
            StreamOffer stream = offered.get(i);
            streams.add(new Stream(i, stream.media(), stream.transport(), stream.transport().isTls() ? ++tls : 0));
        }
        Participant participant = new Participant(callId, conference, target, streams);
        participant.dialOut = true;
        if (participants.putIfAbsent(callId, participant) != null) {
            return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + callId + " is already in a conference"));
        }
        int cryptoSessions = tls;
        CompletableFuture<Void> ticket = cryptoSessions == 0 ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(() -> {
            ConferenceIdentity identity = conference.identity;
            TicketInitiator initiator = new TicketInitiator(identity.uri(), identity.kmsKey(), kmsUid, clock, random);
            try {
                TicketInitiator.PendingRequest request = initiator.requestInit(List.of(target), cryptoSessions, TICKET_LIFETIME,
                        Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER);
                listener.onMikey(callId, "REQUEST_INIT", "KMS");
                TicketInitiator.IssuedTicket issued = kms.requestTicket(initiator, request);
                listener.onMikey(callId, "REQUEST_RESP", "KMS");
                participant.initiator = initiator;
                participant.pendingTransfer = initiator.transferInit(issued);
                listener.onMikey(callId, "TRANSFER_INIT", target.value());
            } catch (MikeyException e) {
                throw new CompletionException(new OfferRejectedException(500, "the KMS refused a ticket: " + e.getMessage(), e));
            } catch (IOException e) {
                throw new CompletionException(new OfferRejectedException(503, "the KMS could not be reached: " + e.getMessage(), e));
            }
        }, kmsExecutor);
        return ticket.thenCompose(done -> conference.serialized(() -> addAll(participant, null, Optional.empty(), false)))
                .thenApply(done -> offer(participant))
                .exceptionallyCompose(error -> abandon(participant, error));
    }

    /** What the MRFC offers on one m-line of a dial-out. */
    public record StreamOffer(String media, Transport transport) {}

    /** The UE's answer to a dial-out: TRANSFER_RESP checked, TEKs derived, the MRFP told the UE's end and the PSKs. */
    public CompletableFuture<Void> dialOutAnswered(String callId, SessionDescription answer) {
        Participant participant = participants.get(callId);
        if (participant == null || !participant.dialOut) {
            return CompletableFuture.failedFuture(new OfferRejectedException(481, "no dial-out " + callId));
        }
        Optional<SessionKeys> keys;
        try {
            if (answer.media().size() != participant.streams.size()) {
                throw new OfferRejectedException(488, "the answer has " + answer.media().size() + " m-lines, the offer " + participant.streams.size());
            }
            Optional<byte[]> transferResp = keyManagement(answer, participant.streams);
            keys = Optional.empty();
            if (participant.pendingTransfer != null) {
                byte[] resp = transferResp.orElseThrow(() -> new OfferRejectedException(606, "the answer has no TRANSFER_RESP in a=key-mgmt"));
                listener.onMikey(callId, "TRANSFER_RESP", participant.identity.value());
                SessionKeys derived = participant.initiator.acceptTransferResp(participant.pendingTransfer, resp);
                if (!derived.responder().equals(participant.identity)) {
                    throw new OfferRejectedException(403, "TRANSFER_RESP is from " + derived.responder() + ", not " + participant.identity);
                }
                keys = Optional.of(derived);
            }
        } catch (OfferRejectedException e) {
            return abandon(participant, e).thenApply(x -> null);
        } catch (MikeyException e) {
            return abandon(participant, new OfferRejectedException(606, "key management refused: " + e.getMessage(), e)).thenApply(x -> null);
        }
        Optional<SessionKeys> tek = keys;
        return participant.conference.serialized(() -> configureAll(participant, answer, tek))
                .exceptionallyCompose(error -> abandon(participant, error).thenApply(x -> null));
    }

    // ---- leaving --------------------------------------------------------------------------------------------

    /** The participant's BYE (or the dial-out's rejection): its terminations are subtracted. */
    public CompletableFuture<Void> leave(String callId) {
        Participant participant = participants.remove(callId);
        if (participant == null) {
            return CompletableFuture.completedFuture(null);
        }
        return participant.conference.serialized(() -> subtractAll(participant));
    }

    // ---- the MRFP -----------------------------------------------------------------------------------------

    /** Adds the participant's streams one per action, so that a failure leaves only what is then subtracted. */
    private CompletableFuture<Void> addAll(Participant participant, SessionDescription offer, Optional<SessionKeys> keys, boolean dialIn) {
        Conference conference = participant.conference;
        if (conference.gateway == null || !conference.gateway.registered()) {
            conference.gateway = controller.pick(realm).orElse(null);
            conference.context = null;
            if (conference.gateway == null) {
                return CompletableFuture.failedFuture(new OfferRejectedException(503, "no MRFP of realm " + realm + " is registered"));
            }
        }
        ControlledGateway gateway = conference.gateway;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Stream stream : participant.streams) {
            chain = chain.thenCompose(done -> {
                ParticipantRequest request;
                if (dialIn) {
                    MediaDescription media = offer.media().get(stream.index);
                    // E2E-1: the MRFP connects and starts TLS once TCP is up (it is TCP and TLS client)
                    Setup offered = media.setup().orElse(Setup.ACTIVE);
                    Setup mrfp = offered == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE;
                    request = new ParticipantRequest(stream.media, stream.transport, mrfp, Optional.of(ParticipantRequest.remote(offer, media)),
                            psk(stream, keys), mrfp == Setup.ACTIVE);
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
                    stream.local = localMedia(result.reply());
                    LOG.atInfo().addKeyValue("call", participant.callId).addKeyValue("conference", conference.identity.uri())
                            .addKeyValue("termination", stream.termination).log("{} {} of {} on the MRFP", stream.media, stream.transport, participant.identity);
                });
            });
        }
        return chain;
    }

    private CompletableFuture<Void> configureAll(Participant participant, SessionDescription answer, Optional<SessionKeys> keys) {
        Conference conference = participant.conference;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Stream stream : participant.streams) {
            MediaDescription media = answer.media().get(stream.index);
            if (media.mediaLine().portNumber().orElse(0) == 0) {
                continue; // RFC 3264 6: refused stream, its termination stays until the participant leaves
            }
            Setup answered = media.setup().orElse(Setup.PASSIVE); // RFC 4145 4.1: an answer without a=setup is passive
            if (answered == Setup.ACTPASS || answered == Setup.HOLDCONN) {
                return CompletableFuture.failedFuture(new OfferRejectedException(488, "m-line " + stream.index + ": an answer is active or passive (RFC 4145 4.1)"));
            }
            if (answer.connectionData(media).isEmpty()) {
                return CompletableFuture.failedFuture(new OfferRejectedException(488, "m-line " + stream.index + " has no c="));
            }
            Setup mrfp = answered == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE;
            // E2E-2: the UE connects and starts TLS-PSK, the MRFP is server (and client when the UE chose passive)
            ParticipantRequest request = new ParticipantRequest(stream.media, stream.transport, mrfp, Optional.of(ParticipantRequest.remote(answer, media)),
                    psk(stream, keys), mrfp == Setup.ACTIVE);
            chain = chain.thenCompose(done -> conference.gateway.commands().modify(conference.context, stream.termination, request.descriptors())
                    .thenAccept(result -> stream.local = localMedia(result.reply())));
        }
        return chain;
    }

    private static Optional<byte[]> psk(Stream stream, Optional<SessionKeys> keys) {
        if (!stream.transport.isTls()) {
            return Optional.empty();
        }
        return keys.flatMap(k -> k.tek(stream.cryptoSession));
    }

    private CompletableFuture<Void> subtractAll(Participant participant) {
        Conference conference = participant.conference;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Stream stream : participant.streams) {
            if (stream.termination == null || conference.context == null) {
                continue;
            }
            TerminationId termination = stream.termination;
            stream.termination = null;
            chain = chain.thenCompose(done -> conference.gateway.commands().subtract(conference.context, termination, Optional.empty())
                    .handle((reply, error) -> {
                        if (error != null) {
                            LOG.atWarn().addKeyValue("call", participant.callId).log("Subtract of {} failed: {}", termination, OfferRejectedException.unwrap(error).getMessage());
                        }
                        return null;
                    }));
        }
        return chain.thenRun(() -> {
            boolean empty = participants.values().stream().noneMatch(p -> p.conference == conference && p.streams.stream().anyMatch(s -> s.termination != null));
            if (empty && conference.context != null) {
                conference.gateway.contextReleased();
                conference.context = null; // the MRFP removes a context left without terminations
            }
        });
    }

    private <T> CompletableFuture<T> abandon(Participant participant, Throwable error) {
        participants.remove(participant.callId, participant);
        OfferRejectedException rejected = OfferRejectedException.from(error, "MRFP");
        LOG.atInfo().addKeyValue("call", participant.callId).log("participant refused ({}): {}", rejected.sipStatus(), rejected.getMessage());
        return participant.conference.serialized(() -> subtractAll(participant)).handle((done, ignored) -> null)
                .thenCompose(done -> CompletableFuture.failedFuture(rejected));
    }

    // ---- SDP --------------------------------------------------------------------------------------------------

    private Conference conference(String uri) throws OfferRejectedException {
        KmsUid id = KmsUid.fromSipUri(uri);
        Conference conference = conferences.get(id);
        if (conference == null) {
            throw new OfferRejectedException(404, "no conference " + id + " here");
        }
        return conference;
    }

    /** The m-lines of an offer the MRFP can serve (MSRP, BFCP over TCP or TLS); anything else: 488. */
    private static List<Stream> streams(SessionDescription offer) throws OfferRejectedException {
        List<Stream> streams = new ArrayList<>();
        int tls = 0;
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription media = offer.media().get(i);
            Transport transport = media.transport();
            String application = transport.application();
            if (!transport.token().startsWith("TCP/") || !(application.equals("MSRP") || application.equals("BFCP"))) {
                throw new OfferRejectedException(488, "m-line " + i + ": the conference serves MSRP and BFCP over TCP or TLS, not " + transport);
            }
            if (offer.connectionData(media).isEmpty()) {
                throw new OfferRejectedException(488, "m-line " + i + " has no c= (RFC 8866 5.7)");
            }
            streams.add(new Stream(i, media.mediaLine().media(), transport, transport.isTls() ? ++tls : 0));
        }
        if (streams.isEmpty()) {
            throw new OfferRejectedException(488, "no m-line to serve");
        }
        return streams;
    }

    /**
     * The MIKEY message of the TLS m-lines (E2E-6: at media level, the same message at each, crypto session k for the
     * k-th); none when no m-line is TLS. A TLS m-line without it, or with another message: 606 (TLS-PSK needs it).
     */
    private static Optional<byte[]> keyManagement(SessionDescription sdp, List<Stream> streams) throws OfferRejectedException {
        byte[] message = null;
        for (Stream stream : streams) {
            if (!stream.transport.isTls()) {
                continue;
            }
            MediaDescription media = sdp.media().get(stream.index);
            Optional<KeyManagement> mikey = media.keyManagement().stream().filter(k -> k.protocolId().equalsIgnoreCase("mikey")).findFirst();
            if (mikey.isEmpty()) {
                throw new OfferRejectedException(606, "m-line " + stream.index + " (" + stream.transport + ") has no a=key-mgmt:mikey: the conference's TLS is keyed by MIKEY-TICKET");
            }
            if (message != null && !Arrays.equals(message, mikey.get().data())) {
                throw new OfferRejectedException(606, "the TLS m-lines carry different MIKEY messages");
            }
            message = mikey.get().data();
        }
        return Optional.ofNullable(message);
    }

    private static MediaDescription localMedia(CommandReply.AmmsReply reply) {
        String text = reply.localSdp(1).orElseThrow(() -> new IllegalStateException(reply.terminationId() + ": reply without Local SDP"));
        try {
            SessionDescription sdp = SdpParser.parseH248(text).get(0);
            MediaDescription media = sdp.media().get(0);
            return media.withConnectionData(sdp.connectionData(media).orElseThrow(() -> new IllegalStateException("Local SDP without c=")));
        } catch (SdpParseException e) {
            throw new IllegalStateException(reply.terminationId() + ": Local SDP does not parse: " + e.getMessage(), e);
        }
    }

    /** Dial-out offer: the reserved m-lines with TRANSFER_INIT on the TLS ones. */
    private SessionDescription offer(Participant participant) {
        return describe(participant, Optional.ofNullable(participant.pendingTransfer).map(TicketInitiator.PendingTransfer::message));
    }

    /**
     * The SDP for the UE: the MRFP's m-lines (its address, port, role, a=path, BFCP IDs), with the MIKEY message
     * (TRANSFER_RESP of a dial-in, TRANSFER_INIT of a dial-out) on the TLS ones.
     */
    private SessionDescription describe(Participant participant, Optional<byte[]> mikey) {
        StringBuilder text = new StringBuilder("v=0\r\no=mrfc ").append(Math.abs(participant.callId.hashCode())).append(" 1 IN IP4 127.0.0.1\r\ns=")
                .append(participant.conference.identity.uri()).append("\r\nt=0 0\r\n");
        try {
            SessionDescription sdp = SdpParser.parse(text.toString());
            List<MediaDescription> media = new ArrayList<>();
            for (Stream stream : participant.streams) {
                MediaDescription line = stream.local;
                if (stream.transport.isTls() && mikey.isPresent()) {
                    line = line.withKeyManagement(new KeyManagement("mikey", mikey.get()));
                }
                media.add(line);
            }
            return new SessionDescription(sdp.sessionLines(), media);
        } catch (SdpParseException e) {
            throw new IllegalStateException(e);
        }
    }


    // ---- MRFP events ------------------------------------------------------------------------------------------

    @Override
    public void onEvent(ControlledGateway gateway, ContextId context, TerminationId termination, GatewayEvent event) {
        for (Participant participant : participants.values()) {
            Conference conference = participant.conference;
            if (conference.gateway != gateway || !context.equals(conference.context)) {
                continue;
            }
            for (Stream stream : participant.streams) {
                if (termination.equals(stream.termination)) {
                    listener.onBearerEvent(participant.callId, stream.index, event);
                    if (event.isFailure() && participants.remove(participant.callId, participant)) {
                        String reason = switch (event) {
                            case GatewayEvent.Failed failed -> failed.layer() + " failure on m-line " + stream.index + ": " + failed.reason();
                            case GatewayEvent.NetworkFailure failure -> "network failure: " + failure.cause();
                            case GatewayEvent.Established established -> throw new IllegalStateException();
                        };
                        conference.serialized(() -> subtractAll(participant));
                        listener.onParticipantReleased(participant.callId, reason);
                    }
                    return;
                }
            }
        }
    }

    @Override
    public void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again) {
        if (!again) {
            return;
        }
        for (Participant participant : List.copyOf(participants.values())) {
            if (participant.conference.gateway == gateway && participants.remove(participant.callId, participant)) {
                participant.streams.forEach(stream -> stream.termination = null);
                participant.conference.context = null;
                listener.onParticipantReleased(participant.callId, "MRFP " + gateway.name() + " restarted: the conference's media is gone");
            }
        }
    }

    // ---- state ------------------------------------------------------------------------------------------------

    /** A conference: its MRFP and context once it has participants; its H.248 work one request at a time. */
    private static final class Conference {
        final ConferenceIdentity identity;
        ControlledGateway gateway;
        ContextId context;
        private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

        Conference(ConferenceIdentity identity) {
            this.identity = identity;
        }

        /** Runs {@code work} after the conference's previous work (the first Add creates the context the next use). */
        synchronized CompletableFuture<Void> serialized(java.util.function.Supplier<CompletableFuture<Void>> work) {
            CompletableFuture<Void> next = last.handle((done, error) -> null).thenCompose(done -> work.get());
            last = next;
            return next;
        }
    }

    private static final class Participant {
        final String callId;
        final Conference conference;
        final KmsUid identity;
        final List<Stream> streams;
        boolean dialOut;
        TicketInitiator initiator;
        TicketInitiator.PendingTransfer pendingTransfer;
        volatile Optional<byte[]> transferResp = Optional.empty();

        Participant(String callId, Conference conference, KmsUid identity, List<Stream> streams) {
            this.callId = callId;
            this.conference = conference;
            this.identity = identity;
            this.streams = streams;
        }
    }

    /** One m-line of a participant: its crypto session (k-th TLS m-line, 0 for TCP) and its MRFP termination. */
    private static final class Stream {
        final int index;
        final String media;
        final Transport transport;
        final int cryptoSession;
        volatile TerminationId termination;
        volatile MediaDescription local;

        Stream(int index, String media, Transport transport, int cryptoSession) {
            this.index = index;
            this.media = media;
            this.transport = transport;
            this.cryptoSession = cryptoSession;
        }
    }
}
