package org.mediasec.it.sip;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ControllerProcess;
import org.mediasec.app.demo.GatewayProcess;
import org.mediasec.ng.JsonForm;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;
import org.mediasec.ng.NgValue;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.ReceivedFrom;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.testsupport.WireTest;

/**
 * The IMS-ALG's NAT traversal driven over the ng port, as Kamailio's rtpengine module drives it: a
 * {@code mediasec controller} process and a {@code mediasec gateway} process on 127.0.0.1, the test as the SIP proxy
 * (its own ng client). A UE whose SIP came from 127.0.0.1 (its "NAT's" address, the ng {@code received-from}) while
 * its SDP says 10.1.0.2 (its private one) is latched from 127.0.0.1 on any port (TCP-6), the other leg waiting for it
 * (TCP-4): when the UE answers (a terminating P-CSCF: the answer's received-from), and what {@code query} says of its
 * endpoint before and after the gateway latched onto it.
 */
class NatTraversalNgTest {

    private static final String UE_PRIVATE = "10.1.0.2";
    private static final String UE_PUBLIC = "127.0.0.1";
    private static final byte[] UE_BYTES = "MSRP a1 SEND\r\nfrom behind the NAT\r\n-------a1$\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CORE_BYTES = "MSRP a1 200 OK\r\n-------a1$\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How long a connection that must not come is waited for. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    private static GatewayProcess gateway;
    private static ControllerProcess controller;
    private static NgProbe ng;
    private static ControllerWithGateway network;

    @BeforeAll
    static void start() throws Exception {
        network = ControllerWithGateway.start(directory, "natTraversal: { mode: latch }\n");
        controller = network.controller();
        gateway = network.gateway();
        ng = network.ng();
    }

    @AfterAll
    static void stop() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Tag("TCP-6")
    @Tag("TCP-4")
    @WireTest
    void aUeThatAnswersFromBehindANatIsLatchedFromTheAnswersReceivedFromAndTheCoreLegWaitsForIt() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // a terminating P-CSCF: the core offers (it listens), UE-B answers from behind its NAT and connects out
            NgReply offered = ng.request(new NgRequest.Offer(NgParameters.builder().callId("answerer-nat").fromTag("core").viaBranch("z9hG4bK-1")
                    .direction(List.of("core", "access")).receivedFrom(new ReceivedFrom(ReceivedFrom.IP4, "127.0.0.1"))
                    .sdp(listening("core", "127.0.0.1", core.getLocalPort())).build()));
            SessionDescription offerToUe = sdp(offered);
            NgReply answered = ng.request(new NgRequest.Answer(NgParameters.builder().callId("answerer-nat").fromTag("core").toTag("ue-b")
                    .viaBranch("z9hG4bK-1").receivedFrom(new ReceivedFrom(ReceivedFrom.IP4, UE_PUBLIC)).sdp(connectingOut("ue-b", UE_PRIVATE)).build()));
            assertThat(answered).isInstanceOf(NgReply.Ok.class);
            // TCP-4: the leg towards the core (the gateway connects to it) waits for UE-B's leg (TR 29.828 4.4.2.2 NOTE 3)
            core.setSoTimeout((int) QUIET.toMillis());
            assertThatThrownBy(core::accept).as("the delayed core leg connects nowhere yet").isInstanceOf(SocketTimeoutException.class);
            // TCP-6: UE-B connects from its NAT's address, from a port its SDP never named (9: it only connects out)
            try (Socket fromNat = new Socket()) {
                fromNat.bind(new InetSocketAddress(UE_PUBLIC, 0));
                fromNat.connect(gatewayEnd(offerToUe), 5_000);
                fromNat.setSoTimeout((int) WITHIN.toMillis());
                fromNat.getOutputStream().write(UE_BYTES);
                core.setSoTimeout((int) WITHIN.toMillis());
                try (Socket coreSide = core.accept()) {
                    coreSide.setSoTimeout((int) WITHIN.toMillis());
                    assertThat(read(coreSide.getInputStream(), UE_BYTES.length)).isEqualTo(UE_BYTES);
                    coreSide.getOutputStream().write(CORE_BYTES);
                    assertThat(read(fromNat.getInputStream(), CORE_BYTES.length)).isEqualTo(CORE_BYTES);
                    // H.248.37 Amd.1: the gateway reported the source it latched onto for UE-B's leg (asked while both
                    // connections stand: a FIN releases the call)
                    await().atMost(WITHIN).untilAsserted(() -> assertThat(flags(stream(query("answerer-nat"), "ue-b"))).contains("confirmed"));
                    assertThat(address(stream(query("answerer-nat"), "ue-b"), "endpoint")).isEqualTo(UE_PUBLIC + ":" + fromNat.getLocalPort());
                }
            }
        }
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId("answerer-nat").fromTag("core").build()))).isInstanceOf(NgReply.Ok.class);
    }

    @Test
    @Tag("TCP-6")
    @Tag("NG-1")
    @WireTest
    void queryShowsTheSdpEndpointBeforeLatchingAndTheSourceTheConnectionCameFromAfter() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // an originating P-CSCF: UE-A offers from behind its NAT (it connects out), the core answers and listens
            NgReply offered = ng.request(new NgRequest.Offer(NgParameters.builder().callId("query-nat").fromTag("ue-a").viaBranch("z9hG4bK-2")
                    .direction(List.of("access", "core")).receivedFrom(new ReceivedFrom(ReceivedFrom.IP4, UE_PUBLIC))
                    .sdp(connectingOut("ue-a", UE_PRIVATE).replace("m=message 9 ", "m=message 5000 ")).build()));
            NgReply answered = ng.request(new NgRequest.Answer(NgParameters.builder().callId("query-nat").fromTag("ue-a").toTag("core")
                    .viaBranch("z9hG4bK-2").sdp(listening("core", "127.0.0.1", core.getLocalPort())).build()));
            SessionDescription answerToUe = sdp(answered);
            InetSocketAddress gatewayTowardsUe = gatewayEnd(answerToUe);

            // before latching: rtpengine's shape, the endpoint is what the SDP said
            NgDictionary before = stream(query("query-nat"), "ue-a");
            assertThat(address(before, "endpoint")).as(json(before)).isEqualTo(UE_PRIVATE + ":5000");
            assertThat(address(before, "advertised endpoint")).isEqualTo(UE_PRIVATE + ":5000");
            assertThat(((NgInteger) before.get("local port").orElseThrow()).value()).isEqualTo(gatewayTowardsUe.getPort());
            assertThat(flags(before)).doesNotContain("confirmed");
            NgDictionary coreBefore = stream(query("query-nat"), "core");
            assertThat(address(coreBefore, "endpoint")).as(json(coreBefore)).isEqualTo("127.0.0.1:" + core.getLocalPort());

            try (Socket fromNat = new Socket()) {
                fromNat.bind(new InetSocketAddress(UE_PUBLIC, 0));
                fromNat.connect(gatewayTowardsUe, 5_000);
                fromNat.setSoTimeout((int) WITHIN.toMillis());
                fromNat.getOutputStream().write(UE_BYTES);
                core.setSoTimeout((int) WITHIN.toMillis());
                try (Socket coreSide = core.accept()) {
                    coreSide.setSoTimeout((int) WITHIN.toMillis());
                    assertThat(read(coreSide.getInputStream(), UE_BYTES.length)).isEqualTo(UE_BYTES);
                    coreSide.getOutputStream().write(CORE_BYTES);
                    assertThat(read(fromNat.getInputStream(), CORE_BYTES.length)).isEqualTo(CORE_BYTES);
                    // after latching (asked while both connections stand: a FIN releases the call): the endpoint is the
                    // source the connection came from, confirmed; the SDP's stays the advertised one
                    String source = UE_PUBLIC + ":" + fromNat.getLocalPort();
                    await().atMost(WITHIN).untilAsserted(() -> assertThat(address(stream(query("query-nat"), "ue-a"), "endpoint")).isEqualTo(source));
                    NgDictionary after = stream(query("query-nat"), "ue-a");
                    assertThat(address(after, "advertised endpoint")).as(json(after)).isEqualTo(UE_PRIVATE + ":5000");
                    assertThat(flags(after)).containsExactly("confirmed");
                    NgDictionary coreAfter = stream(query("query-nat"), "core");
                    assertThat(address(coreAfter, "endpoint")).as(json(coreAfter)).isEqualTo("127.0.0.1:" + core.getLocalPort());
                    assertThat(flags(coreAfter)).doesNotContain("confirmed");
                }
            }
        }
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId("query-nat").fromTag("ue-a").build()))).isInstanceOf(NgReply.Ok.class);
    }

    private static NgReply.Ok query(String callId) throws Exception {
        NgReply reply = ng.request(new NgRequest.Query(NgParameters.builder().callId(callId).build()));
        assertThat(reply).isInstanceOf(NgReply.Ok.class);
        return (NgReply.Ok) reply;
    }

    /** The one stream of the first m-line of {@code tag} in a query reply (rtpengine: tags, medias, streams). */
    private static NgDictionary stream(NgReply.Ok query, String tag) {
        NgDictionary tags = (NgDictionary) query.fields().get("tags");
        NgDictionary entry = (NgDictionary) tags.get(tag).orElseThrow(() -> new AssertionError("no tag " + tag + " in " + json(tags)));
        NgDictionary media = (NgDictionary) ((NgList) entry.get("medias").orElseThrow()).items().get(0);
        NgList streams = (NgList) media.get("streams").orElseThrow(() -> new AssertionError("no streams in " + json(media)));
        assertThat(streams.items()).hasSize(1);
        return (NgDictionary) streams.items().get(0);
    }

    /** An endpoint dictionary ({@code family}, {@code address}, {@code port}) as address:port, "" when empty. */
    private static String address(NgDictionary stream, String key) {
        NgDictionary endpoint = (NgDictionary) stream.get(key).orElseThrow();
        if (endpoint.size() == 0) {
            return "";
        }
        assertThat(text(endpoint.get("family").orElseThrow())).isEqualTo("IPv4");
        return text(endpoint.get("address").orElseThrow()) + ":" + ((NgInteger) endpoint.get("port").orElseThrow()).value();
    }

    private static List<String> flags(NgDictionary stream) {
        return ((NgList) stream.get("flags").orElseThrow()).items().stream().map(NatTraversalNgTest::text).toList();
    }

    private static String text(NgValue value) {
        return ((NgString) value).utf8().orElseThrow();
    }

    private static String json(NgValue value) {
        return new String(JsonForm.encode(value), StandardCharsets.UTF_8);
    }

    private static SessionDescription sdp(NgReply reply) throws Exception {
        assertThat(reply).isInstanceOf(NgReply.Ok.class);
        return SdpParser.parse(((NgReply.Ok) reply).sdp().orElseThrow());
    }

    /** A party that listens on {@code port} (a=setup:passive): the gateway connects to it. */
    private static String listening(String name, String address, int port) {
        return "v=0\r\no=" + name + " 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=message " + port + " TCP/MSRP *\r\na=setup:passive\r\na=accept-types:text/plain\r\na=path:msrp://" + address + ":" + port + "/"
                + name + ";tcp\r\n";
    }

    /** A UE that only connects out (a=setup:active, RFC 4145: port 9), its SDP naming {@code address}. */
    private static String connectingOut(String name, String address) {
        return "v=0\r\no=" + name + " 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=message 9 TCP/MSRP *\r\na=setup:active\r\na=accept-types:text/plain\r\na=path:msrp://" + address + ":9/" + name + ";tcp\r\n";
    }

    private static InetSocketAddress gatewayEnd(SessionDescription sdp) {
        MediaDescription media = sdp.media().get(0);
        String connection = sdp.connectionData(media).orElseThrow();
        return new InetSocketAddress(connection.substring(connection.lastIndexOf(' ') + 1), media.mediaLine().portNumber().orElseThrow());
    }

    private static byte[] read(InputStream in, int length) throws IOException {
        return in.readNBytes(length);
    }
}
