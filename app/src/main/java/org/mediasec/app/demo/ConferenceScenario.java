package org.mediasec.app.demo;

import static org.mediasec.app.demo.ConferenceNetwork.KMS;
import static org.mediasec.app.demo.ConferenceNetwork.MRFC;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.mediasec.app.ue.ConferenceUe;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.RequestStatus;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.mrfc.MrfcProcedures;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;

/**
 * Scenario 5 of {@code mediasec demo}: an end-to-end protected conference. UE-A and UE-B dial in (chat and floor,
 * E2E-1), UE-C is dialled out (E2E-2); every stream is TLS-PSK with its own TEK from MIKEY-TICKET (E2E-4, E2E-5);
 * chat reaches everyone, the floor is granted to UE-A while UE-B waits and then passes to UE-B; Mallory, who is not
 * on the roster, is refused (E2E-3).
 */
public final class ConferenceScenario {

    public static final int NUMBER = 5;
    public static final String TITLE = "conference: UE-A and UE-B dial in, UE-C is dialled out; TLS-PSK keyed by MIKEY-TICKET; chat, floor control, an outsider refused";
    private static final long TIMEOUT = 20;
    private static final Duration PATIENCE = Duration.ofSeconds(TIMEOUT);

    private final ConferenceNetwork network;

    public ConferenceScenario(ConferenceNetwork network) {
        this.network = network;
    }

    public ScenarioResult run() {
        Ladder ladder = network.newLadder();
        Checks checks = new Checks();
        long start = System.nanoTime();
        try {
            conference(checks, ladder);
        } catch (Exception e) {
            checks.check(false, "scenario ran to the end: " + e);
        }
        return new ScenarioResult(NUMBER, TITLE, checks.all(), ladder.text(), ladder.svg(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Scenario 5 when its network (KMS, MRFC, MRFP process) did not start ({@code ran} null), or did not close after
     * {@code ran}: a failed check that says why.
     */
    public static ScenarioResult networkFailed(ScenarioResult ran, Exception cause, long millis) {
        if (ran == null) {
            return new ScenarioResult(NUMBER, TITLE, List.of(new ScenarioResult.Check(false, "the conference network (KMS, MRFC, MRFP process) started: " + cause)),
                    "", "", millis);
        }
        List<ScenarioResult.Check> checks = new ArrayList<>(ran.checks());
        checks.add(new ScenarioResult.Check(false, "the conference network closed: " + cause));
        return new ScenarioResult(NUMBER, TITLE, checks, ran.ladderText(), ran.ladderSvg(), ran.millis());
    }

    private void conference(Checks checks, Ladder ladder) throws Exception {
        MrfcProcedures mrfc = network.mrfc();
        try (ConferenceUe alice = network.ue("alice", true); ConferenceUe bob = network.ue("bob", true); ConferenceUe carol = network.ue("carol", false)) {
            if (!dialIn(checks, ladder, alice) || !dialIn(checks, ladder, bob) || !dialOut(checks, ladder, carol)) {
                return;
            }
            List<String> keys = new ArrayList<>();
            keys.addAll(alice.tekDigests());
            keys.addAll(bob.tekDigests());
            keys.addAll(carol.tekDigests());
            checks.check(keys.size() == 5 && new HashSet<>(keys).size() == 5, "E2E-4: five streams, five different TEKs (one per participant and stream)");

            // chat
            checks.attempt("UE-A's message is confirmed (200 and Success REPORT from the focus)",
                    () -> alice.say("text/plain", "Hello, conference!".getBytes(StandardCharsets.UTF_8)).get(TIMEOUT, TimeUnit.SECONDS));
            ConferenceUe.Message atBob = checks.attempt("UE-B receives UE-A's message", bob::next);
            ConferenceUe.Message atCarol = checks.attempt("UE-C receives UE-A's message", carol::next);
            checks.check(atBob != null && new String(atBob.body(), StandardCharsets.UTF_8).endsWith("\r\n\r\nHello, conference!"),
                    "GW-4: the chat reaches UE-B intact, through the MRFP's focus");
            checks.check(atCarol != null && atCarol.contentType().equals("message/cpim")
                    && new String(atCarol.body(), StandardCharsets.UTF_8).contains("From: \"alice\""),
                    "UE-C accepts message/cpim: the focus wraps the message and names the sender (RFC 7701)");

            // floor control
            alice.floor(BfcpMessage.of(BfcpPrimitive.HELLO, alice.conferenceId, 1, alice.userId));
            BfcpMessage ack = checks.attempt("UE-A's Hello is answered", alice::nextFloorMessage);
            checks.check(ack != null && ack.primitive() == BfcpPrimitive.HELLO_ACK, "HelloAck lists what the floor control server supports");
            alice.floor(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, alice.conferenceId, 2, alice.userId, new BfcpAttribute.FloorId(alice.floorId)));
            BfcpMessage aliceStatus = checks.attempt("UE-A's FloorRequest is answered", alice::nextFloorMessage);
            checks.check(status(aliceStatus) == RequestStatus.GRANTED, "UE-A is granted the floor");
            bob.floor(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, bob.conferenceId, 1, bob.userId, new BfcpAttribute.FloorId(bob.floorId)));
            BfcpMessage bobStatus = checks.attempt("UE-B's FloorRequest is answered", bob::nextFloorMessage);
            checks.check(status(bobStatus) == RequestStatus.ACCEPTED, "UE-B waits in the queue while UE-A holds the floor");
            if (aliceStatus != null) {
                int request = aliceStatus.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow().headerValue();
                alice.floor(BfcpMessage.of(BfcpPrimitive.FLOOR_RELEASE, alice.conferenceId, 3, alice.userId, new BfcpAttribute.FloorRequestId(request)));
                checks.check(status(checks.attempt("UE-A's FloorRelease is answered", alice::nextFloorMessage)) == RequestStatus.RELEASED, "UE-A released the floor");
                checks.check(status(checks.attempt("UE-B is told", bob::nextFloorMessage)) == RequestStatus.GRANTED, "the floor passes to UE-B (FIFO)");
            }

            // the outsider
            outsider(checks, ladder);

            for (String call : List.of("in-alice", "in-bob", "out-carol")) {
                checks.attempt("the MRFC subtracts " + call + "'s terminations at its BYE", () -> mrfc.leave(call).get(TIMEOUT, TimeUnit.SECONDS));
            }
            List<String> left = checks.attempt("the MRFP answers an AuditValue of all its contexts", () -> network.mrfpTerminations(PATIENCE));
            checks.check(left != null && left.isEmpty(), "the conference holds nothing on the MRFP any more (its audit lists no termination)");
        }
    }

    private boolean dialIn(Checks checks, Ladder ladder, ConferenceUe ue) throws Exception {
        String lifeline = ConferenceNetwork.LIFELINES.get(ue.name);
        String call = "in-" + ue.name;
        SessionDescription offer = ue.offer(ConferenceNetwork.CONFERENCE);
        ladder.arrow(lifeline, MRFC, "INVITE " + ConferenceNetwork.CONFERENCE + ": " + describe(offer, "TRANSFER_INIT"));
        SessionDescription answer = checks.attempt(lifeline + " dials in: the MRFC resolves its ticket and adds its streams on the MRFP",
                () -> network.mrfc().dialIn(call, ConferenceNetwork.CONFERENCE.value(), ue.fromHeader(), offer).get(TIMEOUT, TimeUnit.SECONDS));
        if (answer == null) {
            return false;
        }
        ladder.arrow(MRFC, lifeline, "200 OK: " + describe(answer, "TRANSFER_RESP"));
        checks.check(answer.media().stream().allMatch(m -> m.setup().map(s -> s.token().equals("active")).orElse(false)),
                "E2E-1: the MRFC answers a=setup:active: the MRFP connects and is TLS client");
        return checks.attempt(lifeline + " checks TRANSFER_RESP and accepts the MRFP's TLS-PSK handshakes", () -> {
            ue.answered(answer);
            return true;
        }) != null;
    }

    private boolean dialOut(Checks checks, Ladder ladder, ConferenceUe ue) throws Exception {
        String lifeline = ConferenceNetwork.LIFELINES.get(ue.name);
        String call = "out-" + ue.name;
        SessionDescription offer = checks.attempt("the MRFC dials out to " + lifeline + ": a ticket from the KMS, its stream reserved on the MRFP",
                () -> network.mrfc().dialOut(call, ConferenceNetwork.CONFERENCE.value(), ue.fromHeader(),
                        List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_TLS_MSRP))).get(TIMEOUT, TimeUnit.SECONDS));
        if (offer == null) {
            return false;
        }
        ladder.arrow(MRFC, lifeline, "INVITE: " + describe(offer, "TRANSFER_INIT"));
        SessionDescription answer = checks.attempt(lifeline + " resolves the ticket at the KMS and answers", () -> ue.answer(offer));
        if (answer == null) {
            return false;
        }
        ladder.arrow(lifeline, MRFC, "200 OK: " + describe(answer, "TRANSFER_RESP"));
        if (checks.attempt("E2E-2: the MRFC checks TRANSFER_RESP and gives the MRFP the UE's end and the PSK", () -> {
            network.mrfc().dialOutAnswered(call, answer).get(TIMEOUT, TimeUnit.SECONDS);
            return true;
        }) == null) {
            return false;
        }
        return checks.attempt(lifeline + " connects and runs the TLS-PSK handshake as client (the MRFP is server)", () -> {
            ue.connect();
            return true;
        }) != null;
    }

    private void outsider(Checks checks, Ladder ladder) throws Exception {
        List<String> before = checks.attempt("the MRFP lists its terminations (AuditValue)", () -> network.mrfpTerminations(PATIENCE));
        try (ConferenceUe mallory = network.ue("mallory", false)) {
            SessionDescription offer = mallory.offer(ConferenceNetwork.CONFERENCE);
            ladder.arrow("Mallory", MRFC, "INVITE " + ConferenceNetwork.CONFERENCE + ": " + describe(offer, "TRANSFER_INIT"));
            int status = 0;
            try {
                network.mrfc().dialIn("in-mallory", ConferenceNetwork.CONFERENCE.value(), mallory.fromHeader(), offer).get(TIMEOUT, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof OfferRejectedException rejected) {
                    status = rejected.sipStatus();
                    ladder.arrow(MRFC, "Mallory", rejected.sipStatus() + ": " + rejected.getMessage());
                }
            }
            boolean kmsAsked = network.mikey().stream().anyMatch(exchange -> exchange.startsWith("in-mallory RESOLVE_"));
            checks.check(status == 403 && !kmsAsked, "E2E-3: Mallory is not on the conference's roster: 403, before the KMS is even asked");
            List<String> after = checks.attempt("the MRFP lists its terminations again (AuditValue)", () -> network.mrfpTerminations(PATIENCE));
            checks.check(before != null && before.equals(after), "nothing of Mallory's is left on the MRFP (the same terminations as before: " + after + ")");
        }
    }

    private static RequestStatus status(BfcpMessage message) {
        if (message == null) {
            return null;
        }
        return message.first(BfcpAttribute.FloorRequestInformation.class).flatMap(i -> i.first(BfcpAttribute.OverallRequestStatus.class))
                .flatMap(s -> s.first(BfcpAttribute.RequestStatusAttribute.class)).map(BfcpAttribute.RequestStatusAttribute::status).orElse(null);
    }

    /** One line per SDP: each m-line's transport, port and setup, and the MIKEY message it carries. */
    static String describe(SessionDescription sdp, String mikey) {
        List<String> lines = new ArrayList<>();
        for (MediaDescription media : sdp.media()) {
            String line = media.transport() + " port " + media.mediaLine().port() + ", setup:" + media.setup().map(s -> s.token()).orElse("-");
            if (!media.keyManagement().isEmpty()) {
                line += ", key-mgmt " + mikey;
            }
            if (media.conferenceId().isPresent()) {
                line += ", confid " + media.conferenceId().get() + " userid " + media.userId().orElse("-");
            }
            lines.add(line);
        }
        return String.join("; ", lines);
    }
}
