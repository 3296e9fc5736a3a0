package org.mediasec.app.demo;

import static org.mediasec.app.demo.DemoNetwork.AGW;
import static org.mediasec.app.demo.DemoNetwork.ALG;
import static org.mediasec.app.demo.DemoNetwork.UE_A;
import static org.mediasec.app.demo.DemoNetwork.UE_B;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.Party;
import org.mediasec.controller.alg.Party.MsrpExtensions;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;

/**
 * The demo's scenarios, each a whole call through the network: SDP handed to the IMS-ALG (SIP itself is not
 * simulated), H.248 to a real gateway process, real TCP/TLS between the UEs and the gateway, MSRP end to end.
 */
public final class Scenarios {

    private static final long TIMEOUT = 10;
    private static final int FILE_BYTES = 1 << 20;

    private final DemoNetwork network;
    private final java.util.Map<String, UserEquipment> ues = new java.util.LinkedHashMap<>();
    /** The ladder of the scenario running: one scenario at a time per instance (one instance per call run at once). */
    private Ladder ladder;

    public Scenarios(DemoNetwork network) {
        this.network = network;
    }

    public static final List<String> TITLES = List.of(
            "e2ae MSRP: UE-A (TLS, e2ae requested) -> IMS-AGW -> UE-B in the core (TCP)",
            "e2ae on both sides: UE-A (TLS) -> IMS-AGW -> UE-B (TLS), two independent TLS sessions",
            "e2e: TCP/TLS/MSRP without e2ae, the gateway relays TLS records it holds no key for",
            "attack: UE-A's certificate does not match its SDP fingerprint, the gateway refuses");

    /** The number of the MSRP-aware scenario (GW-6): after the fax (6) and SIP (7) scenarios. */
    public static final int AWARE = 8;
    public static final String AWARE_TITLE = "MSRP-aware: UE-A is RFC 4975-only (no CEMA, no session matching) behind the IMS-AGW, which rewrites the MSRP paths";

    public ScenarioResult run(int number) {
        ues.clear();
        ladder = network.newLadder();
        Checks checks = new Checks();
        long start = System.nanoTime();
        try {
            switch (number) {
                case 1 -> e2aeTlsToTcp(checks);
                case 2 -> e2aeTlsToTls(checks);
                case 3 -> endToEnd(checks);
                case 4 -> attack(checks);
                case AWARE -> aware(checks);
                default -> throw new IllegalArgumentException("no scenario " + number + " (1-" + TITLES.size() + ", " + AWARE + ")");
            }
        } catch (Exception e) {
            checks.check(false, "scenario ran to the end: " + e);
        }
        return new ScenarioResult(number, number == AWARE ? AWARE_TITLE : TITLES.get(number - 1), checks.all(), ladder.text(), ladder.svg(), (System.nanoTime() - start) / 1_000_000);
    }

    // ---- 1 ----

    private void e2aeTlsToTcp(Checks checks) throws Exception {
        // UE-B answers passive: the gateway connects to it, while UE-A connects to the gateway (TCP-7)
        try (UserEquipment a = ue(UeOptions.msrp("alice", true, true), UE_A);
                UserEquipment b = ue(UeOptions.msrp("bob", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UE_B)) {
            Call call = call(checks, "call-1", a, Party.accessUe(true), b, Party.core());
            if (call == null) {
                return;
            }
            MediaDescription towardsCore = call.offerToB.media().get(0);
            checks.check(towardsCore.transport().token().equals("TCP/MSRP") && towardsCore.fingerprints().isEmpty() && towardsCore.e2aeIndicator().isEmpty(),
                    "CTRL-1: towards the core the offer is TCP/MSRP without fingerprint or a=3ge2ae");
            MediaDescription towardsUe = call.answerToA.media().get(0);
            checks.check(towardsUe.transport().token().equals("TCP/TLS/MSRP") && towardsUe.e2aeIndicator().filter("applied"::equals).isPresent()
                    && !towardsUe.fingerprints().isEmpty() && !towardsUe.fingerprints().contains(b.fingerprint()),
                    "CTRL-1: towards UE-A the answer is TCP/TLS/MSRP with the IMS-AGW's fingerprint and a=3ge2ae:applied");
            if (!connected(checks, a, b)) {
                return;
            }
            chat(checks, a, b);
            file(checks, a, b);
            release(checks, call.id, a, b);
        }
    }

    // ---- 2 ----

    private void e2aeTlsToTls(Checks checks) throws Exception {
        try (UserEquipment a = ue(UeOptions.msrp("alice", true, true), UE_A);
                UserEquipment b = ue(UeOptions.msrp("bob", true, false), UE_B)) {
            Call call = call(checks, "call-2", a, Party.accessUe(true), b, Party.accessUe(true));
            if (call == null) {
                return;
            }
            MediaDescription towardsB = call.offerToB.media().get(0);
            checks.check(towardsB.transport().token().equals("TCP/TLS/MSRP") && towardsB.e2aeIndicator().filter("applied"::equals).isPresent()
                    && !towardsB.fingerprints().isEmpty() && !towardsB.fingerprints().contains(a.fingerprint()),
                    "CTRL-2: towards UE-B (registered with e2ae) the offer is TCP/TLS/MSRP with the IMS-AGW's fingerprint, not UE-A's");
            MediaDescription towardsA = call.answerToA.media().get(0);
            checks.check(!towardsA.fingerprints().isEmpty() && !towardsA.fingerprints().contains(b.fingerprint()),
                    "GW-2: UE-A is answered with the IMS-AGW's fingerprint, not UE-B's: two TLS sessions, two keys");
            if (!connected(checks, a, b)) {
                return;
            }
            chat(checks, a, b);
            release(checks, call.id, a, b);
        }
    }

    // ---- 3 ----

    private void endToEnd(Checks checks) throws Exception {
        try (UserEquipment a = ue(UeOptions.msrp("alice", true, false), UE_A);
                UserEquipment b = ue(UeOptions.msrp("bob", true, false), UE_B)) {
            Call call = call(checks, "call-3", a, Party.accessUe(true), b, Party.core());
            if (call == null) {
                return;
            }
            checks.check(call.offerToB.media().get(0).fingerprints().equals(List.of(a.fingerprint()))
                    && call.answerToA.media().get(0).fingerprints().equals(List.of(b.fingerprint())),
                    "CTRL-4: fingerprints pass untouched: each UE is given the other UE's own fingerprint");
            List<String> h248 = ladder.labels(ALG, AGW);
            checks.check(h248.stream().anyMatch(l -> l.contains("(TCP/MSRP")) && h248.stream().noneMatch(l -> l.contains("TLS") || l.contains("fingerprint")),
                    "GW-3: the IMS-AGW is told TCP/MSRP only: no TLS, no certificate, no key at the gateway");
            if (!connected(checks, a, b)) {
                return;
            }
            chat(checks, a, b);
            // said once seen: each UE checked the other's own certificate, so the records crossed the IMS-AGW untouched
            ladder.note(AGW, "relayed TCP; the TLS records between UE-A and UE-B passed untouched (e2e)");
            release(checks, call.id, a, b);
        }
    }

    // ---- 4 ----

    private void attack(Checks checks) throws Exception {
        try (UserEquipment a = ue(UeOptions.msrp("mallory", true, true).asImpostor(), UE_A);
                UserEquipment b = ue(UeOptions.msrp("bob", false, false), UE_B)) {
            Call call = call(checks, "call-4", a, Party.accessUe(true), b, Party.core());
            if (call == null) {
                return;
            }
            // with TLS 1.3 UE-A's side of the handshake is over before the IMS-AGW has checked its certificate: it writes at once
            Integer sent = checks.attempt("UE-A, its side of the TLS handshake done, sends an MSRP SEND at once",
                    () -> a.sentAtOnce().get(TIMEOUT, TimeUnit.SECONDS));
            String refusal = checks.attempt("UE-A's connection ends", () -> ended(a).get(TIMEOUT, TimeUnit.SECONDS));
            checks.check(refusal != null && refusal.contains("fatal alert"),
                    "TLS-4: the IMS-AGW refuses UE-A's TLS handshake with a fatal alert (certificate and SDP fingerprint differ): " + refusal);
            String reason = checks.attempt("the controller hears of the failure and releases the call",
                    () -> network.release(call.id).get(TIMEOUT, TimeUnit.SECONDS));
            checks.check(reason != null && reason.contains("TLS"), "the release reason names the TLS failure: " + reason);
            checks.check(network.alg().gatewayOf(call.id).isEmpty(), "the call holds no context on the gateway any more");
            // UE-B's connection is over (closed with the pair, or never let in): what it received is all it ever will
            String atB = checks.attempt("UE-B's connection ends with the call", () -> ended(b).get(TIMEOUT, TimeUnit.SECONDS));
            long bytesAtB = b.wire().segments().stream().filter(segment -> !segment.sent()).mapToLong(segment -> segment.bytes().length).sum();
            checks.check(sent != null && atB != null && bytesAtB == 0 && b.received().isEmpty(),
                    "nothing was relayed to UE-B: 0 bytes arrived on its connection (UE-A had sent a " + sent + "-byte message)");
        }
    }

    // ---- 8 ----

    private void aware(Checks checks) throws Exception {
        // UE-A compares whole To-Path URIs with its own a=path and answers 481 otherwise (RFC 4975 6.1, 7.3); UE-B is CEMA
        try (UserEquipment a = ue(UeOptions.msrp("alice", true, true).rfc4975Only(), UE_A);
                UserEquipment b = ue(UeOptions.msrp("bob", false, false), UE_B)) {
            Call call = call(checks, "call-8", a, Party.accessUe(true, MsrpExtensions.RFC4975_ONLY), b, Party.core(MsrpExtensions.CEMA));
            if (call == null) {
                return;
            }
            MediaDescription towardsB = call.offerToB.media().get(0);
            MediaDescription towardsA = call.answerToA.media().get(0);
            MsrpUri gatewayTowardsA = gatewayUri(towardsA);
            MsrpUri gatewayTowardsB = gatewayUri(towardsB);
            boolean aware = gatewayTowardsA != null && gatewayTowardsB != null && !towardsB.msrpCema()
                    && !gatewayTowardsA.matches(b.msrpUri()) && !gatewayTowardsB.matches(a.msrpUri()) && !gatewayTowardsA.equals(gatewayTowardsB);
            if (aware) {
                // said once seen in the SDP each side was given
                ladder.note(ALG, "MSRP-aware (TS 23.334 5.19.5: UE-A is 4975-only): each side's a=path is the IMS-AGW's own URI, a=msrp-cema removed");
            }
            checks.check(aware, "GW-6: the IMS-ALG chose MSRP-aware: UE-A is given the IMS-AGW's URI " + gatewayTowardsA + ", UE-B another one "
                    + gatewayTowardsB + ", neither the other UE's path, and no a=msrp-cema (RFC 6714)");
            if (!connected(checks, a, b)) {
                return;
            }
            chat(checks, a, b);
            // the strict UE-A answered 481 to anything else: its message arriving proves the To-Path was rewritten to its own
            seen(UE_A, a);
            seen(UE_B, b);
            checks.check(sawOnly(a, gatewayTowardsA), "GW-6: every MSRP frame UE-A (strict) received carried its own URI in To-Path and the IMS-AGW's in From-Path");
            checks.check(sawOnly(b, gatewayTowardsB), "GW-6: every MSRP frame UE-B received carried its own URI in To-Path and the IMS-AGW's (not UE-A's) in From-Path");
            release(checks, call.id, a, b);
        }
    }

    /** Draws the paths of the last MSRP frame the UE received, as it read them, beside its own a=path. */
    private void seen(String lifeline, UserEquipment ue) {
        List<MsrpFrameHead> frames = ue.framesReceived();
        if (!frames.isEmpty()) {
            MsrpFrameHead last = frames.get(frames.size() - 1);
            ladder.note(lifeline, "received To-Path " + last.toPath().get(0) + " (own a=path " + ue.msrpUri() + "), From-Path " + last.fromPath().get(0));
        }
    }

    /** The gateway's MSRP URI in an m-line's a=path: one URI, nothing else (null otherwise). */
    private static MsrpUri gatewayUri(MediaDescription media) {
        if (media.path().size() != 1) {
            return null;
        }
        try {
            return MsrpUri.parse(media.path().get(0));
        } catch (MsrpParseException e) {
            return null;
        }
    }

    /** Whether the UE received frames and each one was addressed to it alone, from {@code gateway} alone. */
    private static boolean sawOnly(UserEquipment ue, MsrpUri gateway) {
        List<MsrpFrameHead> frames = ue.framesReceived();
        return gateway != null && !frames.isEmpty() && frames.stream().allMatch(head -> head.toPath().size() == 1 && head.toPath().get(0).matches(ue.msrpUri())
                && head.fromPath().equals(List.of(gateway)));
    }

    // ---- steps ----

    /** Completes with why the UE's connection ended, or why it never opened. */
    private static CompletableFuture<String> ended(UserEquipment ue) {
        return ue.connected().handle((done, failure) -> failure).thenCompose(failure -> failure == null ? ue.closed()
                : CompletableFuture.completedFuture(String.valueOf((failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure).getMessage())));
    }

    private UserEquipment ue(UeOptions options, String lifeline) throws java.io.IOException {
        UserEquipment ue = new UserEquipment(options, network.trace(ladder, lifeline));
        ues.put(lifeline, ue);
        return ue;
    }

    /** What went over the last scenario's UE connections (below TLS), by lifeline (UE-A, UE-B): for captures. */
    public java.util.Map<String, List<org.mediasec.app.ue.WireRecorder.Segment>> wires() {
        java.util.Map<String, List<org.mediasec.app.ue.WireRecorder.Segment>> wires = new java.util.LinkedHashMap<>();
        ues.forEach((lifeline, ue) -> wires.put(lifeline, ue.wire().segments()));
        return wires;
    }

    private record Call(String id, SessionDescription offerToB, SessionDescription answerToA) {}

    private Call call(Checks checks, String id, UserEquipment a, Party partyA, UserEquipment b, Party partyB) {
        SessionDescription offer = a.offer();
        ladder.arrow(UE_A, ALG, "SDP offer: " + describe(offer));
        SessionDescription offerToB;
        try (CallLadders.SetUp setUp = network.setUp(id, ladder)) {
            offerToB = checks.attempt("the IMS-ALG accepts the offer and anchors it on the IMS-AGW",
                    () -> network.alg().onOffer(id, partyA, partyB, offer).get(TIMEOUT, TimeUnit.SECONDS));
        }
        if (offerToB == null) {
            return null;
        }
        ladder.arrow(ALG, UE_B, "SDP offer: " + describe(offerToB));
        SessionDescription answer = b.answer(offerToB);
        ladder.arrow(UE_B, ALG, "SDP answer: " + describe(answer));
        // the answer only modifies the context the offer created (StreamLegs#configure): no set-up to hold
        SessionDescription answerToA = checks.attempt("the IMS-ALG accepts the answer and configures the IMS-AGW",
                () -> network.alg().onAnswer(id, answer).get(TIMEOUT, TimeUnit.SECONDS));
        if (answerToA == null) {
            return null;
        }
        ladder.arrow(ALG, UE_A, "SDP answer: " + describe(answerToA));
        b.start(offerToB);
        a.start(answerToA);
        return new Call(id, offerToB, answerToA);
    }

    private static boolean connected(Checks checks, UserEquipment a, UserEquipment b) {
        return checks.attempt("both UEs connected through the IMS-AGW (TCP, TLS and fingerprint checks done)", () -> {
            a.connected().get(TIMEOUT, TimeUnit.SECONDS);
            b.connected().get(TIMEOUT, TimeUnit.SECONDS);
            return Boolean.TRUE;
        }) != null;
    }

    private static void chat(Checks checks, UserEquipment a, UserEquipment b) throws Exception {
        String hello = "Hello from UE-A";
        String back = "Hello back from UE-B";
        checks.attempt("UE-A's message is confirmed (200 OK)", () -> a.sendText(hello).get(TIMEOUT, TimeUnit.SECONDS));
        checks.attempt("UE-B's message is confirmed (200 OK)", () -> b.sendText(back).get(TIMEOUT, TimeUnit.SECONDS));
        List<UserEquipment.Received> atB = checks.attempt("UE-B receives UE-A's message", () -> b.awaitMessages(1, Duration.ofSeconds(TIMEOUT)));
        List<UserEquipment.Received> atA = checks.attempt("UE-A receives UE-B's message", () -> a.awaitMessages(1, Duration.ofSeconds(TIMEOUT)));
        checks.check(atB != null && atB.get(0).text().equals(hello) && atA != null && atA.get(0).text().equals(back), "both messages arrive unchanged");
    }

    private static void file(Checks checks, UserEquipment a, UserEquipment b) throws Exception {
        byte[] content = new byte[FILE_BYTES];
        new Random(42).nextBytes(content);
        int before = b.received().size();
        checks.attempt("UE-A's 1 MiB file is confirmed: every chunk's 200 OK and the Success REPORT",
                () -> a.sendFile(content).get(TIMEOUT * 3, TimeUnit.SECONDS));
        List<UserEquipment.Received> atB = checks.attempt("UE-B receives the file", () -> b.awaitMessages(before + 1, Duration.ofSeconds(TIMEOUT)));
        checks.check(atB != null && MessageDigest.isEqual(sha256(atB.get(before).body()), sha256(content)),
                "the file arrives intact (SHA-256 equal, " + FILE_BYTES + " bytes)");
    }

    private void release(Checks checks, String callId, UserEquipment a, UserEquipment b) {
        ladder.arrow(UE_A, ALG, "BYE (the SIP side releases the call)");
        checks.attempt("the IMS-ALG releases the call's contexts (Subtract)", () -> network.alg().onRelease(callId).get(TIMEOUT, TimeUnit.SECONDS));
        checks.attempt("both UEs' connections are closed by the gateway", () -> {
            a.closed().get(TIMEOUT, TimeUnit.SECONDS);
            b.closed().get(TIMEOUT, TimeUnit.SECONDS);
            return Boolean.TRUE;
        });
    }

    private static byte[] sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** The m-line's transport, port and the security attributes, in a few words. */
    static String describe(SessionDescription sdp) {
        MediaDescription media = sdp.media().get(0);
        StringBuilder out = new StringBuilder(media.transport().token()).append(" port ").append(media.mediaLine().port());
        media.setup().ifPresent(setup -> out.append(", setup:").append(setup.token()));
        List<Fingerprint> fingerprints = sdp.fingerprints(media);
        if (!fingerprints.isEmpty()) {
            String value = fingerprints.get(0).attributeValue();
            out.append(", fingerprint ").append(value, value.indexOf(' ') + 1, Math.min(value.length(), value.indexOf(' ') + 9)).append("...");
        }
        media.e2aeIndicator().ifPresent(indicator -> out.append(", 3ge2ae:").append(indicator));
        return out.toString();
    }
}
