package org.mediasec.app.demo;

import static org.mediasec.app.demo.DemoNetwork.AGW;
import static org.mediasec.app.demo.DemoNetwork.ALG;
import static org.mediasec.app.demo.DemoNetwork.UE_A;
import static org.mediasec.app.demo.DemoNetwork.UE_B;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mediasec.app.sip.KamailioProcess;
import org.mediasec.app.sip.SipTrace;
import org.mediasec.app.sip.Sipp;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.ImsAlgPolicy;
import org.mediasec.controller.alg.TlsRolePolicy;
import org.mediasec.controller.ng.NgCommandHandler;
import org.mediasec.controller.ng.NgEndpoint;
import org.mediasec.controller.ng.NgEndpointConfig;
import org.mediasec.controller.ngcall.NgCallConfig;
import org.mediasec.controller.ngcall.NgCallHandler;
import org.mediasec.controller.ngcall.NgCallMetrics;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The demo's SIP scenario: a real SIP proxy drives mediasec. Kamailio (the shipped P-CSCF example) relays UE-A's
 * INVITE to UE-B (both played by SIPp with the shipped scenarios) and anchors the call's media through the IMS-ALG's
 * ng port, exactly as it would through rtpengine; the IMS-ALG drives the IMS-AGW process over H.248; the UE
 * simulators carry MSRP over the ports and fingerprints Kamailio relayed. Drawn: the SIP messages (from SIPp's
 * traces), the ng commands, the H.248 commands and the UEs' TCP, TLS and MSRP. Runs when {@code kamailio} and
 * {@code sipp} are installed; otherwise it says which Debian packages to install.
 */
public final class SipProxyScenario {

    public static final int NUMBER = 7;
    public static final String TITLE = "SIP: Kamailio (P-CSCF) drives the IMS-ALG over the ng port; SIPp UEs call, e2ae MSRP flows, BYE releases";
    public static final String PCSCF = "P-CSCF";

    private static final long TIMEOUT = 30;
    private static final int FILE_BYTES = 256 * 1024;
    private static final Pattern FINGERPRINT = Pattern.compile("certificate fingerprint (sha-256 [0-9A-F:]+)");
    /** What the IMS-ALG offers an answerer: actpass (docs/controller.md), all UE-B's answer depends on. */
    private static final String ACTPASS_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message 9 TCP/MSRP *\r\n"
            + "a=setup:actpass\r\n";

    private final DemoNetwork network;
    private final Path directory;

    public SipProxyScenario(DemoNetwork network, Path directory) {
        this.network = network;
        this.directory = directory.resolve("sip");
    }

    public ScenarioResult run() {
        long start = System.nanoTime();
        Ladder ladder = network.newLadder(List.of(UE_A, PCSCF, ALG, AGW, UE_B));
        Checks checks = new Checks();
        List<String> missing = new ArrayList<>();
        if (!onPath(KamailioProcess.COMMAND)) {
            missing.add(KamailioProcess.COMMAND + " (Debian package " + KamailioProcess.DEBIAN_PACKAGE + ")");
        }
        if (!onPath(Sipp.COMMAND)) {
            missing.add(Sipp.COMMAND + " (Debian package " + Sipp.DEBIAN_PACKAGE + ")");
        }
        if (!missing.isEmpty()) {
            checks.check(true, "SKIPPED: not installed: " + String.join(", ", missing) + "; apt-get install " + KamailioProcess.DEBIAN_PACKAGE + " "
                    + Sipp.DEBIAN_PACKAGE);
        } else {
            try {
                call(ladder, checks);
            } catch (Exception e) {
                checks.check(false, "scenario ran to the end: " + e);
            }
        }
        return new ScenarioResult(NUMBER, TITLE, checks.all(), ladder.text(), ladder.svg(), (System.nanoTime() - start) / 1_000_000);
    }

    private void call(Ladder ladder, Checks checks) throws Exception {
        SipLadder sip = new SipLadder(ladder);
        NgCallHandler calls = new NgCallHandler(listener -> new CallProcedures(network.controller(), DemoNetwork.ACCESS_REALM, new ImsAlgPolicy(),
                TlsRolePolicy.DEFAULT, Optional.empty(), listener), network.controller().executor(), NgCallConfig.defaults(),
                new NgCallMetrics(new SimpleMeterRegistry()));
        NgCommandHandler drawn = (request, source) -> {
            if (request instanceof NgRequest.Ping) {
                return calls.handle(request, source); // Kamailio's keep-alive
            }
            sip.draw(); // reads SIPp's small trace files on the ng loop: a demo's liberty, which the product's handler never takes
            ladder.arrow(PCSCF, ALG, "ng " + request.command() + request.parameters().sdp().map(sdp -> " (" + describe(sdp) + ")").orElse(""));
            return calls.handle(request, source).whenComplete((reply, failure) -> ladder.arrow(ALG, PCSCF, "ng " + describe(reply)));
        };
        Files.createDirectories(directory);
        try (NgEndpoint ng = NgEndpoint.bind(NgEndpointConfig.udp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), drawn);
                KamailioProcess kamailio = KamailioProcess.start(directory.resolve("kamailio"), freePort(), freePort(), ng.udpAddress(), false);
                UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), network.trace(ladder, UE_A));
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), network.trace(ladder, UE_B))) {
            checks.check(true, "Kamailio's rtpengine module pinged the IMS-ALG's ng port and got its pong (" + ng.udpAddress() + ")");
            int portA = freePort();
            int portB = freePort();
            Path dirA = directory.resolve("ue-a");
            Path dirB = directory.resolve("ue-b");
            Sipp.writeSdp(dirB, "answer.sdp", b.answer(SdpParser.parse(ACTPASS_OFFER)).write());
            Sipp.writeSdp(dirA, "offer.sdp", a.offer().write());
            // the offer's way (INVITE from UE-A to UE-B: Kamailio's ng offer, the Adds) is this call's alone, so that the
            // context it creates is drawn here; the other calls' offers wait that long
            CallLadders.SetUp setUp = network.setUp("sip", ladder);
            try (setUp;
                    Sipp ueB = Sipp.start("ue-b", "ue-b-answer.xml", dirB, portB, Optional.empty(), Map.of(), "unused", Duration.ZERO);
                    Sipp ueA = Sipp.start("ue-a", "ue-a-call.xml", dirA, portA, Optional.of(kamailio.access()), Sipp.keys("peer", "127.0.0.1:" + portB),
                            "%u-demo@mediasec", Duration.ZERO)) {
                sip.follow(ueA, ueB);
                SessionDescription offerToB = SdpParser.parse(ueB.awaitSdp("INVITE", Duration.ofSeconds(TIMEOUT)));
                setUp.close();
                SessionDescription answerToA = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", Duration.ofSeconds(TIMEOUT)));
                sip.draw();
                MediaDescription towardsCore = offerToB.media().get(0);
                checks.check(towardsCore.transport().token().equals("TCP/MSRP") && offerToB.fingerprints(towardsCore).isEmpty()
                        && towardsCore.e2aeIndicator().isEmpty(), "CTRL-1: the INVITE Kamailio relayed to UE-B offers TCP/MSRP, no fingerprint, no a=3ge2ae");
                MediaDescription towardsUe = answerToA.media().get(0);
                String gateway = gatewayFingerprint();
                checks.check(towardsUe.transport().token().equals("TCP/TLS/MSRP") && towardsUe.e2aeIndicator().filter("applied"::equals).isPresent()
                        && answerToA.fingerprints(towardsUe).stream().anyMatch(f -> f.attributeValue().equals(gateway)),
                        "CTRL-1: the 200 OK Kamailio relayed to UE-A answers TCP/TLS/MSRP with the IMS-AGW's fingerprint and a=3ge2ae:applied");
                b.start(offerToB);
                a.start(answerToA);
                checks.attempt("UE-A's TLS handshake with the IMS-AGW checks the fingerprint that came through Kamailio; UE-B connects in plain TCP", () -> {
                    a.connected().get(TIMEOUT, TimeUnit.SECONDS);
                    b.connected().get(TIMEOUT, TimeUnit.SECONDS);
                    return Boolean.TRUE;
                });
                checks.attempt("UE-A's message is confirmed (200 OK)", () -> a.sendText("Hello from UE-A, via Kamailio").get(TIMEOUT, TimeUnit.SECONDS));
                List<UserEquipment.Received> atB = checks.attempt("UE-B receives it", () -> b.awaitMessages(1, Duration.ofSeconds(TIMEOUT)));
                checks.check(atB != null && atB.get(0).text().equals("Hello from UE-A, via Kamailio"), "the message arrives unchanged");
                byte[] content = new byte[FILE_BYTES];
                new Random(23).nextBytes(content);
                checks.attempt("UE-A's " + FILE_BYTES / 1024 + " KiB file is confirmed", () -> a.sendFile(content).get(TIMEOUT, TimeUnit.SECONDS));
                List<UserEquipment.Received> file = checks.attempt("UE-B receives the file", () -> b.awaitMessages(2, Duration.ofSeconds(TIMEOUT)));
                checks.check(file != null && MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(file.get(1).body()),
                        MessageDigest.getInstance("SHA-256").digest(content)), "the file arrives intact (SHA-256 equal)");
                ueA.go(); // UE-A hangs up: BYE
                checks.check(ueA.awaitExit(Duration.ofSeconds(TIMEOUT)) == 0 && ueB.awaitExit(Duration.ofSeconds(TIMEOUT)) == 0,
                        "both SIPp UEs ran their scenarios to the end (INVITE, 180, 200, ACK, BYE, 200)");
                checks.attempt("the BYE's ng delete released the call: the IMS-AGW closed both UEs' connections", () -> {
                    a.closed().get(TIMEOUT, TimeUnit.SECONDS);
                    b.closed().get(TIMEOUT, TimeUnit.SECONDS);
                    return Boolean.TRUE;
                });
                sip.draw();
                checks.check(calls.procedures().calls() == 0, "the IMS-ALG holds no call any more");
            }
        }
    }

    private String gatewayFingerprint() throws IOException {
        Matcher matcher = FINGERPRINT.matcher(Files.readString(network.gateways().get(0).log()));
        return matcher.find() ? matcher.group(1) : "(the gateway did not announce its fingerprint)";
    }

    private static String describe(String sdp) {
        try {
            return Scenarios.describe(SdpParser.parse(sdp.stripTrailing() + "\r\n"));
        } catch (Exception e) {
            return "SDP";
        }
    }

    private static String describe(NgReply reply) {
        return switch (reply) {
            case NgReply.Ok ok -> "ok" + ok.sdp().map(sdp -> " (" + describe(sdp) + ")").orElse("");
            case NgReply.Error error -> "error: " + error.reason();
            case NgReply.Pong pong -> "pong";
            case NgReply.LoadLimit limit -> "load limit";
            case null -> "no reply";
        };
    }

    private static boolean onPath(String command) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command));
    }

    private static int freePort() throws IOException {
        return ControllerProcess.freeUdpPort();
    }

    /** Draws the SIP messages of the two SIPp UEs from their traces, in the order SIPp logged them, each once. */
    private static final class SipLadder {
        private final Ladder ladder;
        private Sipp ueA;
        private Sipp ueB;
        private int drawnA;
        private int drawnB;

        SipLadder(Ladder ladder) {
            this.ladder = ladder;
        }

        void follow(Sipp a, Sipp b) {
            ueA = a;
            ueB = b;
        }

        synchronized void draw() {
            if (ueA == null) {
                return;
            }
            try {
                List<SipTrace.Message> fromA = ueA.trace().messages();
                List<SipTrace.Message> fromB = ueB.trace().messages();
                record Pending(SipTrace.Message message, boolean isA) {}
                List<Pending> pending = new ArrayList<>();
                fromA.subList(Math.min(drawnA, fromA.size()), fromA.size()).forEach(m -> pending.add(new Pending(m, true)));
                fromB.subList(Math.min(drawnB, fromB.size()), fromB.size()).forEach(m -> pending.add(new Pending(m, false)));
                pending.sort(Comparator.comparing(p -> p.message().at()));
                for (Pending p : pending) {
                    SipTrace.Message m = p.message();
                    if (m.startLine().startsWith("INFO") || m.startLine().startsWith("SIP/2.0 200") && m.header("CSeq").orElse("").endsWith("INFO")) {
                        continue; // the demo's own go signal to SIPp, not part of the call
                    }
                    String lifeline = p.isA() ? UE_A : UE_B;
                    String label = label(m);
                    if (m.received()) {
                        ladder.arrow(PCSCF, lifeline, label);
                    } else {
                        ladder.arrow(lifeline, PCSCF, label);
                    }
                }
                drawnA = fromA.size();
                drawnB = fromB.size();
            } catch (IOException e) {
                ladder.note(PCSCF, "SIP trace unreadable: " + e.getMessage());
            }
        }

        private static String label(SipTrace.Message message) {
            String start = message.startLine();
            String what = start.startsWith("SIP/2.0 ") ? start.substring(8) + " (" + message.header("CSeq").orElse("") + ")" : start.split(" ")[0];
            return message.body().startsWith("v=0") ? "SIP " + what + " + SDP: " + describe(message.body()) : "SIP " + what;
        }
    }
}
