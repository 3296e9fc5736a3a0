package org.mediasec.it.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.sip.KamailioProcess;
import org.mediasec.app.sip.Sipp;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.app.ue.WireRecorder;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.message.NgReply;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.testsupport.FreePorts;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * A real SIP proxy drives mediasec (NG-2): Kamailio 5.6 running the shipped P-CSCF example, its rtpengine module
 * pointed at a {@code mediasec controller} process, which controls a {@code mediasec gateway} process; SIPp plays the
 * UEs' SIP (the shipped scenarios, the SDP of our UE simulators injected from files, the SDP they receive read from
 * SIPp's message trace), and the UE simulators carry MSRP over the ports and fingerprints Kamailio relayed.
 */
@RequiresPeer(command = KamailioProcess.COMMAND, debianPackage = KamailioProcess.DEBIAN_PACKAGE)
@RequiresPeer(command = Sipp.COMMAND, debianPackage = Sipp.DEBIAN_PACKAGE)
class KamailioSipTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** What the IMS-ALG offers an answerer for a stream it anchors: actpass (docs/controller.md), all an answer's setup depends on. */
    private static final String ACTPASS_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message 9 TCP/MSRP *\r\n"
            + "a=setup:actpass\r\n";
    /** A BFCP Hello (RFC 8855 5.1: version 1 over TCP, primitive 11, no attributes; conference 1, transaction 1, user 1). */
    private static final byte[] BFCP_HELLO = HexFormat.of().parseHex("200b0000000000010001" + "0001");
    /** RFC 8446 5.1: ContentType handshake. */
    private static final int HANDSHAKE = 22;
    /** RFC 8446 4: HandshakeType client_hello and server_hello. */
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;

    @TempDir
    static Path directory;

    private static SipNetwork network;

    @BeforeAll
    static void start() throws Exception {
        network = SipNetwork.start(directory, true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    /** UE-A calling UE-B through the P-CSCF: each a SIPp with its own port and working directory. */
    private record Call(String name, Path ueADirectory, Path ueBDirectory, int ueAPort, int ueBPort) {
        static Call named(String name) throws Exception {
            return new Call(name, network.directory(name + "/ue-a"), network.directory(name + "/ue-b"), FreePorts.udp(), FreePorts.udp());
        }

        Sipp callee(String scenario, SessionDescription answer, Duration pickUp) throws Exception {
            Sipp.writeSdp(ueBDirectory, "answer.sdp", answer.write());
            return Sipp.start("ue-b", scenario, ueBDirectory, ueBPort, Optional.empty(), Map.of(), "unused", pickUp);
        }

        /** UE-A's SIPp, sending to the P-CSCF's access socket (UE-A is its UE) or its core socket (UE-A is in the core). */
        Sipp caller(String scenario, SessionDescription offer, boolean fromAccess, Map<String, String> keys) throws Exception {
            Sipp.writeSdp(ueADirectory, "offer.sdp", offer.write());
            return Sipp.start("ue-a", scenario, ueADirectory, ueAPort, Optional.of(fromAccess ? network.kamailio.access() : network.kamailio.core()),
                    keys.isEmpty() ? Sipp.keys("peer", "127.0.0.1:" + ueBPort) : keys, "%u-" + name + "@test", Duration.ZERO);
        }
    }

    /** The bytes a UE sent ({@code sent}) or received on its connection, below TLS, in order. */
    private static byte[] wire(UserEquipment ue, boolean sent) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (WireRecorder.Segment segment : ue.wire().segments()) {
            if (segment.sent() == sent) {
                bytes.writeBytes(segment.bytes());
            }
        }
        return bytes.toByteArray();
    }

    /** The type of the handshake message that opens these bytes, which must start with a TLS handshake record (RFC 8446 5.1). */
    private static int firstHandshakeMessage(byte[] bytes) {
        assertThat(bytes.length).as("bytes on the wire").isGreaterThan(5);
        assertThat(bytes[0] & 0xff).as("record content type").isEqualTo(HANDSHAKE);
        return bytes[5] & 0xff;
    }

    @Test
    @Tag("NG-2") @Tag("CTRL-1") @Tag("CTRL-6")
    @WireTest
    void anE2aeMsrpCallThroughKamailioCarriesTextAndAFileAndEndsWithBye() throws Exception {
        Call call = Call.named("e2ae");
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE);
                Sipp ueB = call.callee("ue-b-answer.xml", b.answer(SdpParser.parse(ACTPASS_OFFER)), Duration.ZERO);
                Sipp ueA = call.caller("ue-a-call.xml", a.offer(), true, Map.of())) {
            SessionDescription offerToB = SdpParser.parse(ueB.awaitSdp("INVITE", TIMEOUT));
            SessionDescription answerToA = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", TIMEOUT));
            MediaDescription towardsCore = offerToB.media().get(0);
            assertThat(towardsCore.transport().token()).isEqualTo("TCP/MSRP");
            assertThat(offerToB.fingerprints(towardsCore)).isEmpty();
            assertThat(towardsCore.e2aeIndicator()).isEmpty();
            assertThat(towardsCore.setup()).contains(Setup.ACTPASS);
            MediaDescription towardsUe = answerToA.media().get(0);
            assertThat(towardsUe.transport().token()).isEqualTo("TCP/TLS/MSRP");
            assertThat(answerToA.fingerprints(towardsUe)).extracting(f -> f.attributeValue()).containsExactly(network.gatewayFingerprint());
            assertThat(towardsUe.e2aeIndicator()).contains("applied");
            assertThat(towardsUe.setup()).contains(Setup.PASSIVE); // UE-A offered actpass: it connects out (CTRL-6)

            b.start(offerToB);
            a.start(answerToA); // UE-A checks the certificate it is shown against the fingerprint Kamailio relayed: the gateway's
            a.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            a.sendText("hello bob, via Kamailio").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.sendText("hello alice").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("hello bob, via Kamailio"); // UE-B's leg is plain TCP
            assertThat(a.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("hello alice");
            byte[] file = new byte[256 * 1024];
            new Random(7).nextBytes(file);
            a.sendFile(file).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            byte[] arrived = b.awaitMessages(2, TIMEOUT).get(1).body();
            assertThat(MessageDigest.getInstance("SHA-256").digest(arrived)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
            assertThat(network.calls()).contains(ueA.actualCallId());

            ueA.go(); // BYE: Kamailio's delete releases the call's contexts, and the gateway closes both legs
            assertThat(ueA.awaitExit(TIMEOUT)).isZero();
            assertThat(ueB.awaitExit(TIMEOUT)).isZero();
            a.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(network.calls()).doesNotContain(ueA.actualCallId());
        }
    }

    @Test
    @Tag("NG-2") @Tag("CTRL-4")
    @WireTest
    void tlsWithoutTheE2aeRequestStaysEndToEndThroughKamailio() throws Exception {
        Call call = Call.named("e2e");
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", true, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE);
                Sipp ueB = call.callee("ue-b-answer.xml", b.answer(SdpParser.parse(ACTPASS_OFFER)), Duration.ZERO);
                Sipp ueA = call.caller("ue-a-call.xml", a.offer(), true, Map.of())) {
            SessionDescription offerToB = SdpParser.parse(ueB.awaitSdp("INVITE", TIMEOUT));
            SessionDescription answerToA = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", TIMEOUT));
            // the proxy said e2ae (the example's static flag), but UE-A did not request it: its crypto is left alone
            MediaDescription towardsCore = offerToB.media().get(0);
            assertThat(towardsCore.transport().token()).isEqualTo("TCP/TLS/MSRP");
            assertThat(offerToB.fingerprints(towardsCore)).containsExactly(a.fingerprint());
            assertThat(towardsCore.e2aeIndicator()).isEmpty();
            MediaDescription towardsUe = answerToA.media().get(0);
            assertThat(towardsUe.transport().token()).isEqualTo("TCP/TLS/MSRP");
            assertThat(answerToA.fingerprints(towardsUe)).containsExactly(b.fingerprint());
            assertThat(towardsUe.mediaLine().port()).isNotEqualTo(String.valueOf(b.port())); // anchored all the same

            b.start(offerToB);
            a.start(answerToA); // each UE checks the other's own certificate: TLS end to end through the gateway
            a.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            a.sendText("end to end, via Kamailio").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("end to end, via Kamailio");

            ueA.go();
            assertThat(ueA.awaitExit(TIMEOUT)).isZero();
            assertThat(ueB.awaitExit(TIMEOUT)).isZero();
            a.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(network.calls()).doesNotContain(ueA.actualCallId());
        }
    }

    @Test
    @Tag("NG-2") @Tag("CTRL-3") @Tag("CTRL-5")
    @WireTest
    void anE2aeBfcpStreamThroughKamailioIsTlsTowardsTheUeAndTcpTowardsTheCore() throws Exception {
        Call call = Call.named("bfcp");
        // UE-A offers passive: the gateway connects to it (TCP client), yet UE-A, the SDP offerer, is TLS client (RFC 4583)
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true).withApplication("BFCP").withSetups(Setup.PASSIVE, Setup.ACTIVE),
                UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("floor-server", false, false).withApplication("BFCP")
                        .withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE);
                Sipp ueB = call.callee("ue-b-answer.xml", b.answer(SdpParser.parse(ACTPASS_OFFER)), Duration.ZERO);
                Sipp ueA = call.caller("ue-a-call.xml", a.offer(), true, Map.of())) {
            SessionDescription offerToB = SdpParser.parse(ueB.awaitSdp("INVITE", TIMEOUT));
            SessionDescription answerToA = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", TIMEOUT));
            MediaDescription towardsCore = offerToB.media().get(0);
            assertThat(towardsCore.transport().token()).isEqualTo("TCP/BFCP");
            assertThat(offerToB.fingerprints(towardsCore)).isEmpty();
            assertThat(towardsCore.e2aeIndicator()).isEmpty();
            MediaDescription towardsUe = answerToA.media().get(0);
            assertThat(towardsUe.transport().token()).isEqualTo("TCP/TLS/BFCP");
            assertThat(answerToA.fingerprints(towardsUe)).extracting(f -> f.attributeValue()).containsExactly(network.gatewayFingerprint());
            assertThat(towardsUe.e2aeIndicator()).contains("applied");
            assertThat(towardsUe.floorControl()).isNotEmpty(); // the BFCP attributes pass unchanged
            assertThat(towardsUe.setup()).contains(Setup.ACTIVE);

            b.start(offerToB);
            a.start(answerToA); // UE-A checks the gateway's certificate against the fingerprint Kamailio relayed
            a.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(a.socket().orElseThrow().getLocalPort()).as("UE-A's end is its listening port: the gateway connected").isEqualTo(a.port());
            assertThat(firstHandshakeMessage(wire(a, true))).as("UE-A's first handshake message").isEqualTo(CLIENT_HELLO);
            assertThat(firstHandshakeMessage(wire(a, false))).as("the gateway's first handshake message").isEqualTo(SERVER_HELLO);
            a.sendRaw(BFCP_HELLO);
            assertThat(b.awaitRaw(BFCP_HELLO.length, TIMEOUT)).isEqualTo(BFCP_HELLO); // in clear on the core leg
            b.sendRaw(BFCP_HELLO);
            assertThat(a.awaitRaw(BFCP_HELLO.length, TIMEOUT)).isEqualTo(BFCP_HELLO);

            ueA.go();
            assertThat(ueA.awaitExit(TIMEOUT)).isZero();
            assertThat(ueB.awaitExit(TIMEOUT)).isZero();
            a.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(network.calls()).doesNotContain(ueA.actualCallId());
        }
    }

    @Test
    @Tag("NG-2") @Tag("CTRL-2")
    @WireTest
    void aCallFromTheCoreGetsTlsTowardsTheE2aeUe() throws Exception {
        Call call = Call.named("terminating");
        try (UserEquipment core = new UserEquipment(UeOptions.msrp("carol", false, false), UeTrace.NONE);
                UserEquipment ue = new UserEquipment(UeOptions.msrp("dave", true, false).withSetups(Setup.ACTPASS, Setup.ACTIVE), UeTrace.NONE);
                Sipp ueB = call.callee("ue-b-answer.xml", ue.answer(SdpParser.parse(ACTPASS_OFFER)), Duration.ZERO);
                Sipp ueA = call.caller("ue-a-call.xml", core.offer(), false, Map.of())) {
            SessionDescription offerToUe = SdpParser.parse(ueB.awaitSdp("INVITE", TIMEOUT));
            SessionDescription answerToCore = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", TIMEOUT));
            MediaDescription towardsUe = offerToUe.media().get(0);
            assertThat(towardsUe.transport().token()).isEqualTo("TCP/TLS/MSRP");
            assertThat(offerToUe.fingerprints(towardsUe)).extracting(f -> f.attributeValue()).containsExactly(network.gatewayFingerprint());
            assertThat(towardsUe.e2aeIndicator()).contains("applied");
            MediaDescription towardsCore = answerToCore.media().get(0);
            assertThat(towardsCore.transport().token()).isEqualTo("TCP/MSRP");
            assertThat(answerToCore.fingerprints(towardsCore)).isEmpty();

            ue.start(offerToUe);
            core.start(answerToCore);
            ue.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            core.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            core.sendText("from the core").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ue.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("from the core");
            ueA.go();
            assertThat(ueA.awaitExit(TIMEOUT)).isZero();
            assertThat(ueB.awaitExit(TIMEOUT)).isZero();
            ue.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("NG-2") @Tag("CTRL-7")
    @WireTest
    void aReInviteKeepsTheStreamItsConnectionsAndItsTlsSession() throws Exception {
        Call call = Call.named("reinvite");
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE)) {
            SessionDescription offer = a.offer();
            SessionDescription answer = b.answer(SdpParser.parse(ACTPASS_OFFER));
            // RFC 3264 8: the same streams again, a new o= version, the connections kept (RFC 4145 5: existing)
            Sipp.writeSdp(call.ueADirectory(), "reoffer.sdp", refreshed(offer));
            Sipp.writeSdp(call.ueBDirectory(), "reanswer.sdp", refreshed(answer));
            try (Sipp ueB = call.callee("ue-b-reinvite.xml", answer, Duration.ZERO);
                    Sipp ueA = call.caller("ue-a-reinvite.xml", offer, true, Map.of())) {
                SessionDescription offerToB = SdpParser.parse(ueB.awaitSdp("INVITE", TIMEOUT));
                SessionDescription answerToA = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", TIMEOUT));
                b.start(offerToB);
                a.start(answerToA);
                a.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                b.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                a.sendText("before the re-INVITE").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(b.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("before the re-INVITE");
                int invitesAtB = ueB.trace().received("INVITE").size();

                ueA.go(); // the re-INVITE
                await().atMost(TIMEOUT).until(() -> ueA.trace().received("SIP/2.0 200").size() == 2);
                SessionDescription reAnswerToA = SdpParser.parse(ueA.trace().lastReceivedSdp("SIP/2.0 200").orElseThrow());
                SessionDescription reOfferToB = SdpParser.parse(ueB.trace().lastReceivedSdp("INVITE").orElseThrow());
                assertThat(ueB.trace().received("INVITE")).hasSize(invitesAtB + 1);
                // the gateway's end towards UE-A is the same: port, fingerprint
                assertThat(reAnswerToA.media().get(0).mediaLine().port()).isEqualTo(answerToA.media().get(0).mediaLine().port());
                assertThat(reAnswerToA.fingerprints(reAnswerToA.media().get(0))).isEqualTo(answerToA.fingerprints(answerToA.media().get(0)));
                // towards UE-B the gateway is now the end that connected (UE-B answered passive): active, port 9 (RFC 4145 4)
                assertThat(reOfferToB.media().get(0).setup()).contains(Setup.ACTIVE);
                assertThat(reOfferToB.media().get(0).mediaLine().port()).isEqualTo("9");
                // the same TCP connections and TLS session carry on: nothing closed, more bytes pass
                assertThat(a.closed()).isNotDone();
                assertThat(b.closed()).isNotDone();
                a.sendText("after the re-INVITE").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                b.sendText("still here").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(b.awaitMessages(2, TIMEOUT).get(1).text()).isEqualTo("after the re-INVITE");
                assertThat(a.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("still here");

                ueA.go(); // BYE
                assertThat(ueA.awaitExit(TIMEOUT)).isZero();
                assertThat(ueB.awaitExit(TIMEOUT)).isZero();
                a.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void aCancelledCallLeavesNothingOnTheGateway() throws Exception {
        Call call = Call.named("cancel");
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE);
                Sipp ueB = call.callee("ue-b-ring.xml", b.answer(SdpParser.parse(ACTPASS_OFFER)), Duration.ZERO);
                Sipp ueA = call.caller("ue-a-cancel.xml", a.offer(), true, Map.of())) {
            ueB.awaitSdp("INVITE", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> ueA.trace().received("SIP/2.0 180").size() == 1);
            assertThat(network.calls()).contains(ueA.actualCallId()); // anchored while it rings
            assertThat(network.metric("mediasec_gateway_contexts")).isPositive();
            ueA.go(); // CANCEL
            assertThat(ueA.awaitExit(TIMEOUT)).isZero();
            assertThat(ueB.awaitExit(TIMEOUT)).isZero();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(network.calls()).doesNotContain(ueA.actualCallId()));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(network.metric("mediasec_gateway_contexts")).isZero());
        }
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void aBusyCalleeReleasesTheCall() throws Exception {
        Call call = Call.named("busy");
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                Sipp ueB = call.callee("ue-b-busy.xml", a.offer(), Duration.ZERO);
                Sipp ueA = call.caller("ue-a-busy.xml", a.offer(), true, Map.of())) {
            SessionDescription offerToB = SdpParser.parse(ueB.awaitSdp("INVITE", TIMEOUT));
            assertThat(offerToB.media().get(0).transport().token()).isEqualTo("TCP/MSRP"); // it was anchored
            assertThat(ueA.awaitExit(TIMEOUT)).isZero();
            assertThat(ueB.awaitExit(TIMEOUT)).isZero();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(network.calls()).doesNotContain(ueA.actualCallId()));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(network.metric("mediasec_gateway_contexts")).isZero());
        }
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void aForkedCallAnchorsEachDialogAndTheByeReleasesBoth() throws Exception {
        Call call = Call.named("fork");
        Path early = network.directory("fork/ue-b2");
        int earlyPort = FreePorts.udp();
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b1 = new UserEquipment(UeOptions.msrp("bob-1", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE);
                UserEquipment b2 = new UserEquipment(UeOptions.msrp("bob-2", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE)) {
            Sipp.writeSdp(early, "answer.sdp", b2.answer(SdpParser.parse(ACTPASS_OFFER)).write());
            // UE-B2 answers early at once; UE-B1 picks up a moment later: the 200 OK is the second answer of the one offer
            try (Sipp ueB2 = Sipp.start("ue-b2", "ue-b-early.xml", early, earlyPort, Optional.empty(), Map.of(), "unused", Duration.ZERO);
                    Sipp ueB1 = call.callee("ue-b-answer.xml", b1.answer(SdpParser.parse(ACTPASS_OFFER)), Duration.ofSeconds(1));
                    Sipp ueA = call.caller("ue-a-fork.xml", a.offer(), true, Sipp.keys("peer", "127.0.0.1:" + network.kamailio.access().getPort(),
                            "fork1", "127.0.0.1:" + call.ueBPort(), "fork2", "127.0.0.1:" + earlyPort))) {
                SessionDescription offerToB1 = SdpParser.parse(ueB1.awaitSdp("INVITE", TIMEOUT));
                SessionDescription answerToA = SdpParser.parse(ueA.awaitSdp("SIP/2.0 200", TIMEOUT));
                assertThat(ueA.trace().received("SIP/2.0 183")).isNotEmpty(); // the early answer went through too
                NgReply query = network.query(ueA.actualCallId());
                assertThat(((NgInteger) ((NgReply.Ok) query).fields().get("dialogues")).value()).isEqualTo(2);
                b1.start(offerToB1);
                a.start(answerToA);
                a.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                b1.connected().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                a.sendText("hello, the fork that answered").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(b1.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("hello, the fork that answered");
                assertThat(ueB2.awaitExit(TIMEOUT)).isZero(); // cancelled by Kamailio when UE-B1 answered

                ueA.go(); // BYE: Kamailio's delete (no to-tag) releases the call with both dialogs
                assertThat(ueA.awaitExit(TIMEOUT)).isZero();
                assertThat(ueB1.awaitExit(TIMEOUT)).isZero();
                a.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(network.calls()).doesNotContain(ueA.actualCallId()));
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(network.metric("mediasec_gateway_contexts")).isZero());
            }
        }
    }

    /** The SDP again for a re-offer or its answer: a new o= version, and the connections kept (a=connection:existing). */
    private static String refreshed(SessionDescription sdp) {
        List<String> lines = sdp.write().lines().map(line -> line.equals("a=connection:new") ? "a=connection:existing" : line).toList();
        String origin = lines.stream().filter(line -> line.startsWith("o=")).findFirst().orElseThrow();
        String[] parts = origin.split(" ");
        parts[2] = Long.toString(Long.parseLong(parts[2]) + 1);
        return String.join("\r\n", lines.stream().map(line -> line.equals(origin) ? String.join(" ", parts) : line).toList()) + "\r\n";
    }
}
