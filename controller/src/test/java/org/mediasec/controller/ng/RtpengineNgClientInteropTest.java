package org.mediasec.controller.ng;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.ReceivedFrom;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * A second, independent ng client against our endpoint: rtpengine-ng-client (Debian rtpengine-utils, Perl, its own
 * Bencode and JSON modules). Each command it sends reaches the handler typed as it was meant, and it accepts each
 * reply we send: it prints the SDP and fields, and dies with the reason on an error reply.
 */
@RequiresPeer(command = "rtpengine-ng-client", debianPackage = "rtpengine-utils")
class RtpengineNgClientInteropTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
            + "m=message 7394 TCP/TLS/MSRP *\r\na=path:msrps://192.0.2.10:7394/s1;tcp\r\na=setup:actpass\r\n";
    private static final String ANSWER_SDP = SDP.replace("192.0.2.10", "192.0.2.20").replace("actpass", "passive");
    private static final String TRANSPORT = "TCP/TLS/MSRP";

    private final RecordingHandler handler = RecordingHandler.answering(RtpengineNgClientInteropTest::reply);
    private NgEndpoint endpoint;

    private static NgReply reply(NgRequest request) {
        return switch (request) {
            case NgRequest.Delete delete -> NgReply.ok().withWarning("Call-ID not found or tags didn't match");
            case NgRequest.Query query -> query.callId().equals("unknown")
                    ? NgReply.error("Unknown call-id")
                    : NgReply.ok().with("created", new NgInteger(1_700_000_000)).with("last signal", new NgInteger(1_700_000_005))
                            .with("tags", NgDictionary.builder().put("ft", NgDictionary.builder().put("tag", "ft").put("in dialogue with", "tt").build()).build());
            case NgRequest.ListCalls list -> NgReply.calls(List.of("call-a", "call-b"));
            default -> RecordingHandler.typical(request);
        };
    }

    @BeforeEach
    void start() throws Exception {
        endpoint = NgEndpoint.bind(NgEndpointConfig.udp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), handler);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private Peers.Result client(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("rtpengine-ng-client", "--proxy-address=127.0.0.1",
                "--proxy-port=" + endpoint.udpAddress().getPort()));
        command.addAll(List.of(arguments));
        return Peers.run(command, new byte[0], CLIENT_TIMEOUT);
    }

    private static void succeeded(Peers.Result result) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsPingGetsOurPong() throws Exception {
        Peers.Result result = client("ping");
        succeeded(result);
        assertThat(result.stdout()).contains("result => 'pong'");
        assertThat(handler.next().request()).isEqualTo(new NgRequest.Ping(NgParameters.NONE));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsOfferIsReadTypedAndItAcceptsOurSdp() throws Exception {
        Peers.Result result = client("--call-id=call-1", "--from-tag=ft", "--via-branch=z9hG4bK-1", "--sdp=" + SDP, "--protocol=" + TRANSPORT,
                "--trust-address", "--replace-origin", "--received-from=IP4", "--received-from=192.0.2.10", "--supports=load limit", "offer");
        succeeded(result);
        assertThat(result.stdout()).contains("New SDP:").contains(SDP.replace("192.0.2.10", "198.51.100.1"));
        NgRequest.Offer offer = (NgRequest.Offer) handler.next().request();
        assertThat(offer.callId()).isEqualTo("call-1");
        assertThat(offer.fromTag()).isEqualTo("ft");
        assertThat(offer.sdp()).isEqualTo(SDP);
        NgParameters p = offer.parameters();
        assertThat(p.viaBranch()).contains("z9hG4bK-1");
        assertThat(p.transportProtocol()).contains(TRANSPORT);
        assertThat(p.hasFlag("trust-address")).isTrue();
        assertThat(p.replace()).containsExactly("origin");
        assertThat(p.receivedFrom()).contains(new ReceivedFrom("IP4", "192.0.2.10"));
        assertThat(p.supportsLoadLimit()).isTrue();
        assertThat(p.extra()).isEmpty();
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsAnswerIsReadWithItsToTag() throws Exception {
        Peers.Result result = client("--call-id=call-1", "--from-tag=ft", "--to-tag=tt", "--sdp=" + ANSWER_SDP, "answer");
        succeeded(result);
        assertThat(result.stdout()).contains("New SDP:").contains(ANSWER_SDP.replace("192.0.2.20", "198.51.100.1"));
        NgRequest.Answer answer = (NgRequest.Answer) handler.next().request();
        assertThat(answer.toTag()).isEqualTo("tt");
        assertThat(answer.sdp()).isEqualTo(ANSWER_SDP);
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsDeleteIsReadWithItsDelayAndItAcceptsOurWarning() throws Exception {
        Peers.Result result = client("--call-id=call-1", "--from-tag=ft", "--delete-delay=0", "delete");
        succeeded(result);
        assertThat(result.stdout()).contains("warning => 'Call-ID not found or tags didn\\'t match'");
        NgRequest.Delete delete = (NgRequest.Delete) handler.next().request();
        assertThat(delete.callId()).isEqualTo("call-1");
        assertThat(delete.parameters().fromTag()).contains("ft");
        assertThat(delete.parameters().deleteDelay()).hasValue(0);
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsQueryGetsOurFields() throws Exception {
        Peers.Result result = client("--call-id=call-1", "query");
        succeeded(result);
        // Perl's Bencode reads integers into scalars, which Data::Dumper quotes
        assertThat(result.stdout()).contains("created => '1700000000'").contains("'last signal' => '1700000005'")
                .contains("'in dialogue with' => 'tt'");
        assertThat(handler.next().request()).isEqualTo(new NgRequest.Query(NgParameters.builder().callId("call-1").build()));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsListGetsOurCalls() throws Exception {
        Peers.Result result = client("list");
        succeeded(result);
        assertThat(result.stdout()).contains("calls => [").contains("'call-a'").contains("'call-b'");
        assertThat(handler.next().request()).isEqualTo(new NgRequest.ListCalls(NgParameters.NONE));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void inJsonItsOfferIsReadAndItAcceptsOurJsonReply() throws Exception {
        Peers.Result result = client("--json", "--call-id=call-j", "--from-tag=ft", "--sdp=" + SDP, "--received-from=IP6",
                "--received-from=2001:db8::1", "offer");
        succeeded(result);
        assertThat(result.stdout()).contains("New SDP:").contains(SDP.replace("192.0.2.10", "198.51.100.1"));
        NgRequest.Offer offer = (NgRequest.Offer) handler.next().request();
        assertThat(offer.callId()).isEqualTo("call-j");
        assertThat(offer.parameters().receivedFrom()).contains(new ReceivedFrom("IP6", "2001:db8::1"));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itReadsOurErrorReplies() throws Exception {
        Peers.Result unknownCall = client("--call-id=unknown", "query");
        assertThat(unknownCall.exitCode()).isNotZero();
        assertThat(unknownCall.stderr()).contains("Error reason: \"Unknown call-id\"");
        Peers.Result missingKey = client("--call-id=call-1", "--sdp=" + SDP, "offer");
        assertThat(missingKey.exitCode()).isNotZero();
        assertThat(missingKey.stderr()).contains("Error reason: \"No from-tag in message\"");
    }
}
