package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.controller.alg.CallListener;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.CallSide;
import org.mediasec.controller.alg.ImsAlgPolicy;
import org.mediasec.controller.alg.NatTraversalPolicy;
import org.mediasec.controller.alg.Party;
import org.mediasec.controller.alg.TlsRolePolicy;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.testsupport.WireTest;

/**
 * The IMS-ALG's NAT traversal through a real {@code mediasec gateway} process (TR 29.828 4.4.2.2, 4.4.2.3): an access
 * UE whose SIP came from another address than its SDP names is latched from the address its SIP came from, on any
 * port (TCP-6), the core leg waiting for it (TCP-4); the latched source reaches the controller in a Notify
 * (H.248.37 Amd.1). The same offer without the mismatch holds the gateway to the SDP address. The UE is a plain
 * socket on 127.0.0.1 (its "NAT's" address) whose SDP says 10.1.0.2 (its private one); the core is a listening socket.
 */
class NatTraversalCallTest {

    private static final String UE_PRIVATE = "10.1.0.2";
    private static final String UE_PUBLIC = "127.0.0.1";
    private static final byte[] UE_BYTES = "MSRP a1 SEND\r\nfrom behind the NAT\r\n-------a1$\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CORE_BYTES = "MSRP a1 200 OK\r\n-------a1$\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How long a connection that must not come is waited for. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    @TempDir
    static Path directory;
    private static DemoNetwork network;
    private static final List<GatewayEvent> EVENTS = new CopyOnWriteArrayList<>();
    private static final List<String> CHOICES = new CopyOnWriteArrayList<>();
    private static CallProcedures alg;

    @BeforeAll
    static void start() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
        alg = new CallProcedures(network.controller(), DemoNetwork.ACCESS_REALM, new ImsAlgPolicy(), TlsRolePolicy.DEFAULT, Optional.empty(),
                NatTraversalPolicy.DEFAULT, new CallListener() {
                    @Override
                    public void onCallReleased(String callId, String reason) { }

                    @Override
                    public void onBearerEvent(String callId, int mediaIndex, boolean towardsOfferer, GatewayEvent event) {
                        EVENTS.add(event);
                    }

                    @Override
                    public void onNatTraversal(String callId, int mediaIndex, String choice) {
                        CHOICES.add(callId + ": " + choice);
                    }
                });
    }

    @AfterAll
    static void stop() throws Exception {
        network.close();
    }

    @Test
    @Tag("TCP-6") @Tag("TCP-4")
    @WireTest
    void aUeWhoseSipCameFromElsewhereIsLatchedAndTheCoreLegWaitsForIt() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Party ue = Party.accessUe(false).withReceivedFrom(UE_PUBLIC);
            SessionDescription offerToCore = alg.onOffer("behind-nat", ue, Party.core(), offer(UE_PRIVATE)).get(10, TimeUnit.SECONDS);
            SessionDescription answerToUe = alg.onAnswer("behind-nat", answer(offerToCore, core.getLocalPort())).get(10, TimeUnit.SECONDS);
            assertThat(CHOICES).anySatisfy(choice -> assertThat(choice).startsWith("behind-nat: latching (ipnapt/latch) towards the NAT's address " + UE_PUBLIC)
                    .contains("received-from " + UE_PUBLIC + " != SDP address " + UE_PRIVATE));
            // TCP-4: the core leg is delayed while the access leg's NAT traversal goes on (TR 29.828 4.4.2.2 NOTE 3)
            core.setSoTimeout((int) QUIET.toMillis());
            assertThatThrownBy(core::accept).as("the delayed core leg connects nowhere yet").isInstanceOf(SocketTimeoutException.class);
            // TCP-6: the UE connects from its NAT's address, from a port its SDP never named; the gateway takes it
            try (Socket fromNat = new Socket()) {
                fromNat.bind(new InetSocketAddress(UE_PUBLIC, 0));
                fromNat.connect(gatewayEnd(answerToUe), 5_000);
                fromNat.setSoTimeout(10_000);
                fromNat.getOutputStream().write(UE_BYTES);
                core.setSoTimeout(10_000);
                try (Socket coreSide = core.accept()) {
                    coreSide.setSoTimeout(10_000);
                    assertThat(read(coreSide.getInputStream(), UE_BYTES.length)).isEqualTo(UE_BYTES);
                    coreSide.getOutputStream().write(CORE_BYTES);
                    assertThat(read(fromNat.getInputStream(), CORE_BYTES.length)).isEqualTo(CORE_BYTES);
                }
                // H.248.37 Amd.1: the gateway reported the source it latched onto, and the controller holds it
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EVENTS).contains(new GatewayEvent.Latched(UE_PUBLIC, fromNat.getLocalPort())));
                assertThat(alg.latched("behind-nat", 0, CallSide.CALLER)).contains(InetSocketAddress.createUnresolved(UE_PUBLIC, fromNat.getLocalPort()));
            }
            alg.onRelease("behind-nat").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("TCP-6")
    @WireTest
    void theSameOfferWithoutTheMismatchHoldsTheGatewayToTheSdpAddress() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // the offer of the latching test, without received-from: its SDP address is trusted, the UE at its NAT's
            // address is reset (TCP-9), on whatever port
            SessionDescription trusted = alg.onOffer("sdp-trusted", Party.accessUe(false), Party.core(), offer(UE_PRIVATE)).get(10, TimeUnit.SECONDS);
            SessionDescription answerToTrusting = alg.onAnswer("sdp-trusted", answer(trusted, core.getLocalPort())).get(10, TimeUnit.SECONDS);
            assertThat(CHOICES).noneMatch(choice -> choice.startsWith("sdp-trusted"));
            core.setSoTimeout(10_000);
            try (Socket coreSide = core.accept()) { // not delayed: the gateway connects to the core at once
                assertThat(refused(UE_PUBLIC, gatewayEnd(answerToTrusting))).as("a source other than the SDP address is reset").isTrue();
            }
            alg.onRelease("sdp-trusted").get(10, TimeUnit.SECONDS);

            // the SIP came from the address the SDP names: no NAT, nothing latched, nothing delayed
            String sdpAddress = "127.0.0.2";
            Party ue = Party.accessUe(false).withReceivedFrom(sdpAddress);
            SessionDescription offerToCore = alg.onOffer("no-nat", ue, Party.core(), offer(sdpAddress)).get(10, TimeUnit.SECONDS);
            SessionDescription answerToUe = alg.onAnswer("no-nat", answer(offerToCore, core.getLocalPort())).get(10, TimeUnit.SECONDS);
            assertThat(CHOICES).anySatisfy(choice -> assertThat(choice).startsWith("no-nat: no NAT traversal").contains("= SDP address: no NAT"));
            core.setSoTimeout(10_000);
            try (Socket coreSide = core.accept()) { // not delayed: the gateway connects to the core at once
                coreSide.setSoTimeout(10_000);
                // TCP-9: another source is reset, whatever port it uses
                assertThat(refused(UE_PUBLIC, gatewayEnd(answerToUe))).as("a source other than the SDP address is reset").isTrue();
                try (Socket fromSdpAddress = new Socket()) {
                    fromSdpAddress.bind(new InetSocketAddress(sdpAddress, 0));
                    fromSdpAddress.connect(gatewayEnd(answerToUe), 5_000);
                    fromSdpAddress.setSoTimeout(10_000);
                    fromSdpAddress.getOutputStream().write(UE_BYTES);
                    assertThat(read(coreSide.getInputStream(), UE_BYTES.length)).isEqualTo(UE_BYTES);
                    coreSide.getOutputStream().write(CORE_BYTES);
                    assertThat(read(fromSdpAddress.getInputStream(), CORE_BYTES.length)).isEqualTo(CORE_BYTES);
                }
            }
            assertThat(EVENTS).noneMatch(event -> event instanceof GatewayEvent.Latched latched && latched.address().equals(sdpAddress));
            alg.onRelease("no-nat").get(10, TimeUnit.SECONDS);
        }
    }

    /** A UE's MSRP offer: it connects out (a=setup:active, RFC 4145), its SDP naming {@code address}. */
    private static SessionDescription offer(String address) throws Exception {
        return SdpParser.parse("v=0\r\no=ue 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=message 5000 TCP/MSRP *\r\na=setup:active\r\na=accept-types:text/plain\r\na=path:msrp://" + address + ":5000/ue1;tcp\r\n");
    }

    /** The core's answer: it listens on {@code port} (a=setup:passive), so the gateway connects. */
    private static SessionDescription answer(SessionDescription offer, int port) throws Exception {
        MediaDescription offered = offer.media().get(0);
        return SdpParser.parse("v=0\r\no=core 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message " + port + " " + offered.transport().token() + " *\r\na=setup:passive\r\na=accept-types:text/plain\r\n"
                + "a=path:msrp://127.0.0.1:" + port + "/core1;tcp\r\n");
    }

    private static InetSocketAddress gatewayEnd(SessionDescription answer) {
        MediaDescription media = answer.media().get(0);
        String connection = answer.connectionData(media).orElseThrow();
        return new InetSocketAddress(connection.substring(connection.lastIndexOf(' ') + 1), media.mediaLine().portNumber().orElseThrow());
    }

    private static byte[] read(InputStream in, int length) throws IOException {
        return in.readNBytes(length);
    }

    /**
     * Whether the gateway resets (or closes) a connection from {@code source} to {@code gateway}: the reset may come
     * while connect is still returning; a read that waits instead means the connection was taken.
     */
    private static boolean refused(String source, InetSocketAddress gateway) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.setSoTimeout(10_000);
            try {
                socket.connect(gateway, 5_000);
                return socket.getInputStream().read() < 0;
            } catch (SocketTimeoutException taken) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }
}
