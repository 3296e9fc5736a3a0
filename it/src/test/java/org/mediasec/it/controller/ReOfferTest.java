package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.CallListener;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.ImsAlgPolicy;
import org.mediasec.controller.alg.Party;
import org.mediasec.controller.alg.TlsRolePolicy;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.sdp.Direction;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.testsupport.WireTest;

/**
 * Re-offers (re-INVITE, UPDATE) through the IMS-ALG and a {@code mediasec gateway} process (CTRL-7, RFC 3264 8): a
 * stream that stays keeps its context, its connections and its TLS session (TLS-14); hold holds the held direction
 * without losing a byte; an added m-line gets a context and a removed one goes; {@code a=connection:new} makes new
 * connections and {@code existing} keeps them (TCP-1). Every claim is observed on the UEs' sockets.
 */
@Timeout(180)
class ReOfferTest {

    @TempDir
    static Path directory;
    private static DemoNetwork network;

    @org.junit.jupiter.api.BeforeAll
    static void startNetwork() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
    }

    @org.junit.jupiter.api.AfterAll
    static void stopNetwork() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    private static final Party UE = Party.accessUe(true);
    private static final Party CORE = Party.core();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** What the procedures report: bearer events and calls released by the media plane. */
    private static final class Recorder implements CallListener {
        final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();

        @Override
        public void onCallReleased(String callId, String reason) {
            released.add(callId + ": " + reason);
        }

        @Override
        public void onBearerEvent(String callId, int mediaIndex, boolean towardsOfferer, GatewayEvent event) {
            events.add(event);
        }

        long tlsEstablished() {
            return events.stream().filter(e -> e instanceof GatewayEvent.Established established && established.layer() == GatewayEvent.Layer.TLS).count();
        }
    }

    private static SessionDescription edit(SessionDescription sdp, UnaryOperator<String> change) throws Exception {
        return SdpParser.parse(change.apply(sdp.write()));
    }

    /** RFC 4145 5: keep the TCP connection. */
    private static String existing(String sdp) {
        return sdp.replace("a=connection:new", "a=connection:existing");
    }

    private static String withDirection(String sdp, Direction direction) {
        return sdp.replace("a=connection:existing\r\n", "a=connection:existing\r\na=" + direction.token() + "\r\n");
    }

    private static CallProcedures alg(Recorder recorder) {
        return new CallProcedures(network.controller(), DemoNetwork.ACCESS_REALM, new ImsAlgPolicy(), TlsRolePolicy.DEFAULT, Optional.empty(), recorder);
    }

    /** The first offer/answer of an e2ae call, UE-A (TLS, e2ae) to UE-B in the core (TCP); both connected. */
    private record Established(SessionDescription offerA, SessionDescription offerToB, SessionDescription answerB, SessionDescription answerToA) {}

    private static Established establish(CallProcedures alg, String id, UserEquipment a, UserEquipment b) throws Exception {
        SessionDescription offerA = a.offer();
        SessionDescription offerToB = alg.onOffer(id, UE, CORE, offerA).get(10, TimeUnit.SECONDS);
        SessionDescription answerB = b.answer(offerToB);
        SessionDescription answerToA = alg.onAnswer(id, answerB).get(10, TimeUnit.SECONDS);
        b.start(offerToB);
        a.start(answerToA);
        a.connected().get(10, TimeUnit.SECONDS);
        b.connected().get(10, TimeUnit.SECONDS);
        return new Established(offerA, offerToB, answerB, answerToA);
    }

    @Test
    @Tag("CTRL-7")
    @WireTest
    void aSessionRefreshKeepsTheContextTheConnectionsAndTheTlsSession() throws Exception {
        Recorder recorder = new Recorder();
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            CallProcedures alg = alg(recorder);
            Established call = establish(alg, "refresh", a, b);
            a.sendText("before the refresh").get(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> recorder.tlsEstablished() == 1);

            SessionDescription refreshToB = alg.onOffer("refresh", UE, CORE, edit(call.offerA(), ReOfferTest::existing)).get(10, TimeUnit.SECONDS);
            MediaDescription offered = refreshToB.media().get(0);
            MediaDescription first = call.offerToB().media().get(0);
            assertThat(offered.mediaLine().port()).isEqualTo(first.mediaLine().port()); // the gateway's same end towards B
            assertThat(refreshToB.connectionData(offered)).isEqualTo(call.offerToB().connectionData(first));
            assertThat(offered.transport().token()).isEqualTo("TCP/MSRP");
            assertThat(offered.fingerprints()).isEmpty();
            SessionDescription refreshToA = alg.onAnswer("refresh", edit(call.answerB(), ReOfferTest::existing)).get(10, TimeUnit.SECONDS);
            MediaDescription answered = refreshToA.media().get(0);
            assertThat(answered.mediaLine().port()).isEqualTo(call.answerToA().media().get(0).mediaLine().port());
            assertThat(answered.fingerprints()).isEqualTo(call.answerToA().media().get(0).fingerprints());

            // the same sockets carry on both ways: nothing was closed, and no second TLS handshake happened
            b.sendText("after the refresh").get(10, TimeUnit.SECONDS);
            a.sendText("after the refresh too").get(10, TimeUnit.SECONDS);
            assertThat(a.awaitMessages(1, WAIT)).extracting(UserEquipment.Received::text).containsExactly("after the refresh");
            assertThat(b.awaitMessages(2, WAIT)).extracting(UserEquipment.Received::text).containsExactly("before the refresh", "after the refresh too");
            Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> recorder.tlsEstablished() == 1);
            assertThat(a.closed()).isNotDone();
            assertThat(recorder.released).isEmpty();
            alg.onRelease("refresh").get(10, TimeUnit.SECONDS);
            a.closed().get(10, TimeUnit.SECONDS);
        }
    }

    /** A BFCP Hello (RFC 8855 5.1: version 1 over TCP, primitive 11, no attributes; conference 1, transaction 1, user 1). */
    private static final byte[] HELLO = java.util.HexFormat.of().parseHex("200b0000000000010001" + "0001");

    @Test
    @Tag("TLS-14")
    @Tag("CTRL-7")
    @WireTest
    void aBfcpReOfferLeavesItsTlsSessionAndRolesAlone() throws Exception {
        Recorder recorder = new Recorder();
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true).withApplication("BFCP"), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("floor-server", false, false).withApplication("BFCP"), UeTrace.NONE)) {
            CallProcedures alg = alg(recorder);
            Established call = establish(alg, "bfcp-reoffer", a, b);
            a.sendRaw(HELLO);
            assertThat(b.awaitRaw(HELLO.length, WAIT)).isEqualTo(HELLO);
            Awaitility.await().atMost(WAIT).until(() -> recorder.tlsEstablished() == 1);
            // the UE re-offers, restating its (TLS) roles; the floor server answers as before
            SessionDescription reOfferToB = alg.onOffer("bfcp-reoffer", UE, CORE, edit(call.offerA(), ReOfferTest::existing)).get(10, TimeUnit.SECONDS);
            assertThat(port(reOfferToB.media().get(0))).isEqualTo(port(call.offerToB().media().get(0)));
            SessionDescription reAnswerToA = alg.onAnswer("bfcp-reoffer", edit(call.answerB(), ReOfferTest::existing)).get(10, TimeUnit.SECONDS);
            assertThat(reAnswerToA.media().get(0).fingerprints()).isEqualTo(call.answerToA().media().get(0).fingerprints());
            assertThat(reAnswerToA.media().get(0).setup()).isEqualTo(call.answerToA().media().get(0).setup());
            // the same TLS session carries on both ways: no second handshake, the UE's socket never closed
            b.sendRaw(HELLO);
            assertThat(a.awaitRaw(HELLO.length, WAIT)).isEqualTo(HELLO);
            a.sendRaw(HELLO);
            assertThat(b.awaitRaw(2 * HELLO.length, WAIT)).hasSize(2 * HELLO.length);
            Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> recorder.tlsEstablished() == 1);
            assertThat(a.closed()).isNotDone();
            alg.onRelease("bfcp-reoffer").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("CTRL-7")
    @WireTest
    void holdStopsTheHeldDirectionAndResumingDeliversWhatWaited() throws Exception {
        Recorder recorder = new Recorder();
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            CallProcedures alg = alg(recorder);
            Established call = establish(alg, "hold", a, b);
            // A puts B on hold: A only sends (RFC 3264 8.4), B answers that it only receives
            SessionDescription holdToB = alg.onOffer("hold", UE, CORE, edit(call.offerA(), sdp -> withDirection(existing(sdp), Direction.SENDONLY)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(holdToB.direction(holdToB.media().get(0))).isEqualTo(Direction.SENDONLY);
            alg.onAnswer("hold", edit(call.answerB(), sdp -> withDirection(existing(sdp), Direction.RECVONLY))).get(10, TimeUnit.SECONDS);

            b.sendText("said while held"); // its 200 OK only comes once A hears it
            a.sendText("A still speaks");
            assertThat(b.awaitMessages(1, WAIT)).extracting(UserEquipment.Received::text).containsExactly("A still speaks");
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> a.received().isEmpty());

            // resumed: what B said while held arrives, nothing was lost
            alg.onOffer("hold", UE, CORE, edit(call.offerA(), ReOfferTest::existing)).get(10, TimeUnit.SECONDS);
            alg.onAnswer("hold", edit(call.answerB(), ReOfferTest::existing)).get(10, TimeUnit.SECONDS);
            assertThat(a.awaitMessages(1, WAIT)).extracting(UserEquipment.Received::text).containsExactly("said while held");
            assertThat(a.closed()).isNotDone();
            assertThat(recorder.released).isEmpty();
            alg.onRelease("hold").get(10, TimeUnit.SECONDS);
        }
    }

    private static final String BFCP_M_LINE = "m=application 9 TCP/BFCP *\r\nc=IN IP4 127.0.0.1\r\na=setup:active\r\na=connection:new\r\na=floorctrl:c-only\r\n";

    private static int port(MediaDescription media) {
        return media.mediaLine().portNumber().orElseThrow();
    }

    @Test
    @Tag("CTRL-7")
    @WireTest
    void anAddedMLineGetsAContextOfItsOwnAndARemovedOneGoes() throws Exception {
        Recorder recorder = new Recorder();
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            CallProcedures alg = alg(recorder);
            Established call = establish(alg, "added", a, b);
            // A adds a BFCP stream (plain TCP, A connects); B answers that it connects too
            SessionDescription addToB = alg.onOffer("added", UE, CORE, edit(call.offerA(), sdp -> existing(sdp) + BFCP_M_LINE)).get(10, TimeUnit.SECONDS);
            assertThat(addToB.media()).hasSize(2);
            MediaDescription bfcpToB = addToB.media().get(1);
            assertThat(bfcpToB.transport().token()).isEqualTo("TCP/BFCP");
            assertThat(port(addToB.media().get(0))).isEqualTo(port(call.offerToB().media().get(0)));
            SessionDescription answerB = edit(call.answerB(), sdp -> existing(sdp) + BFCP_M_LINE);
            SessionDescription addToA = alg.onAnswer("added", answerB).get(10, TimeUnit.SECONDS);
            byte[] hello = "BFCP hello".getBytes(StandardCharsets.US_ASCII);
            try (Socket bfcpA = new Socket(LOOPBACK, port(addToA.media().get(1))); Socket bfcpB = new Socket(LOOPBACK, port(bfcpToB))) {
                bfcpA.setSoTimeout(10_000);
                bfcpB.setSoTimeout(10_000);
                bfcpA.getOutputStream().write(hello);
                assertThat(bfcpB.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
                bfcpB.getOutputStream().write(hello);
                assertThat(bfcpA.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
                a.sendText("chat goes on").get(10, TimeUnit.SECONDS);

                // then A removes the chat (port 0): its context goes (A's MSRP connection ends), BFCP goes on
                String removed = "m=message 0 TCP/TLS/MSRP *";
                SessionDescription removeToB = alg.onOffer("added", UE, CORE, edit(call.offerA(), sdp -> existing(sdp)
                        .replaceFirst("m=message \\d+ TCP/TLS/MSRP \\*", removed) + BFCP_M_LINE.replace("a=connection:new", "a=connection:existing")))
                        .get(10, TimeUnit.SECONDS);
                assertThat(port(removeToB.media().get(0))).isZero();
                assertThat(port(removeToB.media().get(1))).isEqualTo(port(bfcpToB)); // kept
                alg.onAnswer("added", edit(answerB, sdp -> sdp.replaceFirst("m=message \\d+ TCP/MSRP \\*", "m=message 0 TCP/MSRP *")
                        .replace("a=connection:new", "a=connection:existing"))).get(10, TimeUnit.SECONDS);
                a.closed().get(10, TimeUnit.SECONDS);
                bfcpA.getOutputStream().write(hello);
                assertThat(bfcpB.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
            }
            assertThat(recorder.released).isEmpty();
            alg.onRelease("added").get(10, TimeUnit.SECONDS);
        }
    }

    private static String plainOffer(int port, String setup, String connection) {
        return "v=0\r\no=core-a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message " + port + " TCP/MSRP *\r\na=setup:" + setup
                + "\r\na=connection:" + connection + "\r\na=path:msrp://127.0.0.1:" + port + "/a1;tcp\r\n";
    }

    private static void roundTrip(Socket a, Socket b, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        a.getOutputStream().write(bytes);
        assertThat(b.getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);
        b.getOutputStream().write(bytes);
        assertThat(a.getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);
    }

    @Test
    @Tag("TCP-1")
    @Tag("CTRL-7")
    @WireTest
    void aConnectionIsRenewedOnlyWhenAReOfferAsksForANewOne() throws Exception {
        Recorder recorder = new Recorder();
        try (ServerSocket listenerB = new ServerSocket(0, 5, LOOPBACK)) {
            CallProcedures alg = alg(recorder);
            int portB = listenerB.getLocalPort();
            // A connects to the gateway, the gateway to B (plain TCP both sides)
            SessionDescription offerToB = alg.onOffer("renew", CORE, CORE, SdpParser.parse(plainOffer(9, "active", "new"))).get(10, TimeUnit.SECONDS);
            String answerB = plainOffer(portB, "passive", "new").replace("core-a", "core-b");
            SessionDescription answerToA = alg.onAnswer("renew", SdpParser.parse(answerB)).get(10, TimeUnit.SECONDS);
            listenerB.setSoTimeout(10_000);
            try (Socket a = new Socket(LOOPBACK, port(answerToA.media().get(0))); Socket b = listenerB.accept()) {
                a.setSoTimeout(10_000);
                b.setSoTimeout(10_000);
                roundTrip(a, b, "first connection");

                // existing: nothing closes, no new connection is made
                alg.onOffer("renew", CORE, CORE, SdpParser.parse(plainOffer(9, "active", "existing"))).get(10, TimeUnit.SECONDS);
                alg.onAnswer("renew", SdpParser.parse(answerB.replace("connection:new", "connection:existing"))).get(10, TimeUnit.SECONDS);
                roundTrip(a, b, "still the first");
                listenerB.setSoTimeout(1000);
                try (Socket unexpected = listenerB.accept()) {
                    throw new AssertionError("a new connection to B on a=connection:existing: " + unexpected);
                } catch (SocketTimeoutException expected) {
                    // none came
                }

                // new: the old connections end, the gateway connects to B again, A connects again to the same port
                SessionDescription renewedToB = alg.onOffer("renew", CORE, CORE, SdpParser.parse(plainOffer(9, "active", "new"))).get(10, TimeUnit.SECONDS);
                // the roles the first exchange decided stay: the gateway connects to B (RFC 4145 4: port 9, active)
                assertThat(port(offerToB.media().get(0))).isNotEqualTo(9);
                assertThat(port(renewedToB.media().get(0))).isEqualTo(9);
                assertThat(renewedToB.media().get(0).setup()).contains(org.mediasec.sdp.Setup.ACTIVE);
                SessionDescription renewedToA = alg.onAnswer("renew", SdpParser.parse(answerB)).get(10, TimeUnit.SECONDS);
                assertThat(port(renewedToA.media().get(0))).isEqualTo(port(answerToA.media().get(0)));
                assertThat(read(a.getInputStream())).isEqualTo(-1);
                assertThat(read(b.getInputStream())).isEqualTo(-1);
                listenerB.setSoTimeout(10_000);
                try (Socket b2 = listenerB.accept(); Socket a2 = new Socket(LOOPBACK, port(renewedToA.media().get(0)))) {
                    a2.setSoTimeout(10_000);
                    b2.setSoTimeout(10_000);
                    roundTrip(a2, b2, "a second connection");
                }
            }
            assertThat(recorder.released).isEmpty(); // renewing at the MGC's request is no failure
            alg.onRelease("renew").get(10, TimeUnit.SECONDS);
        }
    }

    /** The next byte, or -1 at EOF; a reset counts as the end too. */
    private static int read(InputStream in) throws Exception {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
