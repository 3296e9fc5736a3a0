package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.app.ue.WireRecorder;
import org.mediasec.controller.alg.Party;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.testsupport.WireTest;

/**
 * Who connects to whom and who starts TLS, seen on the sockets of calls the IMS-ALG ({@code CallProcedures}) sets up
 * through a {@code mediasec gateway} process: a UE's accepted socket means the gateway connected to it (TCP client), a
 * connected one that the UE did; the first TLS handshake message each side put on the wire (below TLS, recorded by
 * the UE) says who is TLS client: the one that sent the ClientHello (RFC 8446 4.1.2; RFC 5246 7.4.1.2).
 */
@Timeout(120)
class RolesOnTheWireTest {

    /** A BFCP Hello (RFC 8855 5.1: version 1 over TCP, primitive 11, no attributes; conference 1, transaction 1, user 1). */
    private static final byte[] HELLO = HexFormat.of().parseHex("200b0000000000010001" + "0001");
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** RFC 8446 5.1: ContentType handshake. */
    private static final int HANDSHAKE = 22;
    /** RFC 8446 4: HandshakeType client_hello and server_hello. */
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;

    @TempDir
    static Path directory;
    private static DemoNetwork network;

    @BeforeAll
    static void start() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    @AfterEach
    void nothingIsLeftBehind() {
        assertThat(network.alg().calls()).isZero();
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

    private static int port(SessionDescription sdp) {
        return sdp.media().get(0).mediaLine().portNumber().orElseThrow();
    }

    @Test
    @Tag("CTRL-5")
    @Tag("TLS-1")
    @WireTest
    void bfcpOfferedPassiveTheGatewayConnectsToTheUeYetTheUeAsOffererStartsTls() throws Exception {
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true).withApplication("BFCP").withSetups(Setup.PASSIVE, Setup.ACTIVE), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("floor-server", false, false).withApplication("BFCP"), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), "bfcp-passive-offerer", a, Party.accessUe(true), b, Party.core());
            assertThat(call.answerToA().media().get(0).setup()).contains(Setup.ACTIVE);
            // TCP: UE-A's listener accepted the gateway's connection
            Socket atA = a.socket().orElseThrow();
            assertThat(atA.getLocalPort()).as("UE-A's end is its listening port").isEqualTo(a.port());
            // TLS: UE-A, the SDP offerer, sent the ClientHello; the gateway, TCP client, answered as TLS server (RFC 4583)
            assertThat(firstHandshakeMessage(wire(a, true))).as("UE-A's first handshake message").isEqualTo(CLIENT_HELLO);
            assertThat(firstHandshakeMessage(wire(a, false))).as("the gateway's first handshake message").isEqualTo(SERVER_HELLO);
            a.sendRaw(HELLO);
            assertThat(b.awaitRaw(HELLO.length, PATIENCE)).isEqualTo(HELLO);
            network.alg().onRelease(call.id()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("CTRL-5")
    @Tag("TLS-1")
    @WireTest
    void bfcpAnsweredActiveTheUeConnectsToTheGatewayYetTheGatewayAsOffererStartsTls() throws Exception {
        try (UserEquipment core = new UserEquipment(UeOptions.msrp("floor-server", false, false).withApplication("BFCP"), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", true, false).withApplication("BFCP").withSetups(Setup.ACTPASS, Setup.ACTIVE), UeTrace.NONE)) {
            // towards UE-B the gateway offers TCP/TLS/BFCP (CTRL-3); UE-B answers active
            Calls.Call call = Calls.connect(network.alg(), "bfcp-active-answerer", core, Party.core(), b, Party.accessUe(true));
            assertThat(call.offerToB().media().get(0).transport().token()).isEqualTo("TCP/TLS/BFCP");
            // TCP: UE-B connected to the port the gateway offered
            Socket atB = b.socket().orElseThrow();
            assertThat(atB.getPort()).as("UE-B connected to the gateway's offered port").isEqualTo(port(call.offerToB()));
            assertThat(atB.getLocalPort()).isNotEqualTo(b.port());
            // TLS: the gateway, TCP server but SDP offerer, sent the ClientHello; UE-B, the answerer, is TLS server (RFC 4583)
            assertThat(firstHandshakeMessage(wire(b, false))).as("the gateway's first handshake message").isEqualTo(CLIENT_HELLO);
            assertThat(firstHandshakeMessage(wire(b, true))).as("UE-B's first handshake message").isEqualTo(SERVER_HELLO);
            b.sendRaw(HELLO);
            assertThat(core.awaitRaw(HELLO.length, PATIENCE)).isEqualTo(HELLO);
            network.alg().onRelease(call.id()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("CTRL-5")
    @WireTest
    void msrpAnsweredPassiveTheGatewayConnectsAndStartsTls() throws Exception {
        try (UserEquipment core = new UserEquipment(UeOptions.msrp("carol", false, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", true, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), "msrp-passive-answerer", core, Party.core(), b, Party.accessUe(true));
            // MSRP: the a=setup active side is the TLS client (RFC 4975 8.1, RFC 4572): here the gateway on both counts
            assertThat(b.socket().orElseThrow().getLocalPort()).as("UE-B accepted the gateway's connection").isEqualTo(b.port());
            assertThat(firstHandshakeMessage(wire(b, false))).as("the gateway's first handshake message").isEqualTo(CLIENT_HELLO);
            assertThat(firstHandshakeMessage(wire(b, true))).as("UE-B's first handshake message").isEqualTo(SERVER_HELLO);
            core.sendText("over the gateway's TLS client leg").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, PATIENCE).get(0).text()).isEqualTo("over the gateway's TLS client leg");
            network.alg().onRelease(call.id()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("CTRL-6")
    @Tag("TCP-7")
    @WireTest
    void theGatewayAcceptsOnTheOfferersLegAndConnectsOnTheAnswerersLeg() throws Exception {
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false).withSetups(Setup.ACTPASS, Setup.PASSIVE), UeTrace.NONE)) {
            // UE-A offers actpass and is asked to connect (NAT); UE-B answers passive, so the gateway connects to it
            Calls.Call call = Calls.connect(network.alg(), "two-directions", a, Party.accessUe(true), b, Party.core());
            assertThat(call.answerToA().media().get(0).setup()).contains(Setup.PASSIVE);
            Socket atA = a.socket().orElseThrow();
            Socket atB = b.socket().orElseThrow();
            assertThat(atA.getPort()).as("UE-A connected to the gateway's answered port").isEqualTo(port(call.answerToA()));
            assertThat(atA.getLocalPort()).isNotEqualTo(a.port());
            assertThat(atB.getLocalPort()).as("UE-B accepted the gateway's connection on its listening port").isEqualTo(b.port());
            assertThat(atB.getPort()).as("from a port of the gateway's own, not one it offered").isNotEqualTo(port(call.offerToB()));
            a.sendText("one context, two directions").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, PATIENCE).get(0).text()).isEqualTo("one context, two directions");
            network.alg().onRelease(call.id()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("TCP-1")
    @WireTest
    void anOfferWithoutSetupMakesTheOffererTheClientAndTheGatewayListensOnItsLeg() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket offerer = new ServerSocket(0, 1, loopback); ServerSocket answerer = new ServerSocket(0, 1, loopback)) {
            // a plain TCP/MSRP offer with the offerer's own port and no a=setup: RFC 4145 4.1 makes it active
            SessionDescription offer = sdp("a", offerer.getLocalPort(), "");
            network.alg().onOffer("no-setup", Party.accessUe(false), Party.core(), offer).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            SessionDescription answerToA = network.alg().onAnswer("no-setup", sdp("b", answerer.getLocalPort(), "a=setup:passive\r\n"))
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(answerToA.media().get(0).setup()).as("the gateway answers the offerer passive").contains(Setup.PASSIVE);
            answerer.setSoTimeout((int) PATIENCE.toMillis());
            byte[] send = "MSRP n1 SEND\r\nTo-Path: msrp://127.0.0.1:9/b;tcp\r\nFrom-Path: msrp://127.0.0.1:9/a;tcp\r\nMessage-ID: 1\r\n-------n1$\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            try (Socket a = new Socket(loopback, port(answerToA)); Socket b = answerer.accept()) {
                a.getOutputStream().write(send);
                b.setSoTimeout((int) PATIENCE.toMillis());
                assertThat(b.getInputStream().readNBytes(send.length)).isEqualTo(send);
                // the call relays: had the gateway taken the offerer for the server, it would have connected to the offer's port by now
                offerer.setSoTimeout(1000);
                assertThatThrownBy(offerer::accept).as("a connection to the offerer's port").isInstanceOf(SocketTimeoutException.class);
            }
            network.alg().onRelease("no-setup").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** A plain TCP/MSRP SDP of {@code name} at {@code port}, with {@code more} attribute lines. */
    private static SessionDescription sdp(String name, int port, String more) throws Exception {
        return SdpParser.parse("v=0\r\no=" + name + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message " + port + " TCP/MSRP *\r\n"
                + more + "a=accept-types:text/plain\r\na=path:msrp://127.0.0.1:" + port + "/" + name + ";tcp\r\n");
    }
}
