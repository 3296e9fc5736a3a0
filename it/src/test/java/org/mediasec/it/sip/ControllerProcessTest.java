package org.mediasec.it.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ControllerProcess;
import org.mediasec.app.demo.GatewayProcess;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;
import org.mediasec.ng.message.NgKeys;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * {@code mediasec controller} as a process, with a {@code mediasec gateway} process registered: a second,
 * independent ng client (rtpengine-ng-client, Perl) drives whole calls through it (NG-1); bad input on its ng port
 * gets the right error or a logged drop and never disturbs the process or other calls; a gateway restart releases
 * the calls, which the ng port then answers with an error; SIGTERM shuts it down cleanly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerProcessTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    /** UE-A's offer: MSRP over TLS with the e2ae request, and an audio m-line mediasec does not carry. */
    private static final String OFFER = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=message 7001 TCP/TLS/MSRP *\r\na=accept-types:text/plain\r\na=path:msrps://127.0.0.1:7001/abc;tcp\r\na=setup:actpass\r\n"
            + "a=fingerprint:sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\r\n"
            + "a=3ge2ae:requested\r\nm=audio 8000 RTP/AVP 0\r\n";
    /** UE-B's answer: it will connect (active), so the gateway only listens and the call stays up without media. */
    private static final String ANSWER = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:msrp://127.0.0.1:7002/xyz;tcp\r\na=setup:active\r\nm=audio 8002 RTP/AVP 0\r\n";

    @TempDir
    static Path directory;

    private static GatewayProcess gateway;
    private static ControllerProcess controller;
    private static NgProbe ng;
    private static ControllerWithGateway network;

    @BeforeAll
    static void start() throws Exception {
        network = ControllerWithGateway.start(directory, "");
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

    private static Peers.Result client(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("rtpengine-ng-client", "--proxy-address=127.0.0.1", "--proxy-port=" + controller.ng().getPort()));
        command.addAll(List.of(arguments));
        return Peers.run(command, new byte[0], CLIENT_TIMEOUT);
    }

    private static NgReply offer(String callId) throws Exception {
        return ng.request(new NgRequest.Offer(NgParameters.builder().callId(callId).fromTag("alice").sdp(OFFER).build()));
    }

    private static NgReply answer(String callId) throws Exception {
        return ng.request(new NgRequest.Answer(NgParameters.builder().callId(callId).fromTag("alice").toTag("bob").sdp(ANSWER).build()));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    @RequiresPeer(command = "rtpengine-ng-client", debianPackage = "rtpengine-utils")
    void rtpengineNgClientRunsAWholeCallThroughTheProcess() throws Exception {
        assertThat(client("ping").stdout()).contains("result => 'pong'");
        Peers.Result offered = client("--call-id=ngc-1", "--from-tag=alice", "--via-branch=z9hG4bK-1", "--sdp=" + OFFER, "--direction=access,core",
                "--trust-address", "--replace-origin", "offer");
        assertThat(offered.exitCode()).as(offered.stderr()).isZero();
        assertThat(newSdp(offered)).contains("m=message", "TCP/MSRP", "m=audio 8000 RTP/AVP 0").doesNotContain("3ge2ae", "TLS");
        assertThat(offered.stdout()).contains("'warning' => 'm-lines passed on unanchored"); // the audio is rtpengine's to carry
        Peers.Result answered = client("--call-id=ngc-1", "--from-tag=alice", "--to-tag=bob", "--sdp=" + ANSWER, "answer");
        assertThat(answered.exitCode()).as(answered.stderr()).isZero();
        assertThat(newSdp(answered)).contains("TCP/TLS/MSRP", "a=3ge2ae:applied", "a=fingerprint:sha-256").doesNotContain("AB:CD:EF");
        Peers.Result query = client("--call-id=ngc-1", "query");
        assertThat(query.stdout()).contains("'alice'", "'bob'", "created", "totals");
        assertThat(client("list").stdout()).contains("'ngc-1'");
        assertThat(client("--call-id=ngc-1", "--from-tag=alice", "delete").exitCode()).isZero();
        assertThat(client("list").stdout()).doesNotContain("'ngc-1'");
        Peers.Result gone = client("--call-id=ngc-1", "query");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stdout() + gone.stderr()).contains("Unknown call-id");
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void badInputGetsTheRightErrorOrALoggedDropAndOtherCallsGoOn() throws Exception {
        assertThat(offer("steady")).isInstanceOf(NgReply.Ok.class);
        assertThat(answer("steady")).isInstanceOf(NgReply.Ok.class);

        // garbage and no cookie: dropped, not answered (rtpengine drops them too), counted by the endpoint
        assertThat(ng.send("garbage-without-a-space".getBytes(StandardCharsets.US_ASCII), 500)).isEmpty();
        assertThat(ng.send(new byte[] {0, 1, 2, (byte) 0xff}, 500)).isEmpty();
        // a cookie and no dictionary, a truncated one, a nesting bomb, a huge declared length
        assertThat(errorOf("c1 not-bencode")).contains("Invalid NG data format");
        assertThat(errorOf("c2 d7:command4:ping")).startsWith("Could not decode bencode dictionary");
        assertThat(errorOf("c3 " + "l".repeat(10_000))).contains("Invalid NG data format");
        assertThat(errorOf("c4 d1:x" + "l".repeat(5_000) + "e".repeat(5_000) + "e")).contains("nesting deeper than");
        assertThat(errorOf("c5 d3:sdp4294967295:")).contains("declared string length");
        // unknown command, missing keys, an SDP that does not parse
        assertThat(errorOf("c6 d7:command9:transfer!e")).isEqualTo(NgReply.UNRECOGNIZED_COMMAND);
        assertThat(errorOf("c7 d7:command5:offer3:sdp3:v=0e")).isEqualTo("No call-id in message");
        assertThat(errorOf("c8 d7:command6:answer7:call-id1:x8:from-tag1:a3:sdp3:v=0e")).isEqualTo("No to-tag in message");
        String badSdp = "v=0\r\nm=message\r\n";
        assertThat(errorOf("c9 d7:command5:offer7:call-id3:bad8:from-tag1:a3:sdp" + badSdp.length() + ":" + badSdp + "e"))
                .startsWith("Failed to parse SDP");
        assertThat(errorOf("c10 d7:command6:answer7:call-id7:nowhere8:from-tag1:a6:to-tag1:b3:sdp" + ANSWER.length() + ":" + ANSWER + "e"))
                .isEqualTo("Unknown call-id");

        // the process and the call made before are untouched, and new calls work
        assertThat(controller.alive()).isTrue();
        assertThat(ng.request(new NgRequest.Ping(NgParameters.NONE))).isInstanceOf(NgReply.Pong.class);
        assertThat(ng.request(new NgRequest.Query(NgParameters.builder().callId("steady").build()))).isInstanceOf(NgReply.Ok.class);
        assertThat(offer("after")).isInstanceOf(NgReply.Ok.class);
        assertThat(controller.logText()).doesNotContain("Exception");
        for (String callId : List.of("steady", "after")) {
            ng.request(new NgRequest.Delete(NgParameters.builder().callId(callId).build()));
        }
    }

    /**
     * A gateway stopped by its operator says ServiceChange Forced (905) before it goes: its calls are released then,
     * with that reason, and its next Restart is the registration. Before, the Forced was taken for a registration and
     * logged "registered again" (seen in the call-rate benchmark's logs).
     */
    @Test
    @Tag("NG-2")
    @WireTest
    void aGatewayStoppedByItsOperatorIsOutOfServiceNotRegisteredAgain() throws Exception {
        assertThat(offer("forced-1")).isInstanceOf(NgReply.Ok.class);
        assertThat(answer("forced-1")).isInstanceOf(NgReply.Ok.class);
        long registeredAgainBefore = count(controller.logText(), "registered again");
        long outOfServiceBefore = count(controller.logText(), "gateway agw1 out of service");
        gateway.restartGracefully();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(controller.logText(), "registered again") > registeredAgainBefore);
        String log = controller.logText();
        assertThat(count(log, "gateway agw1 out of service (ServiceChange Forced: its calls are released)")).isEqualTo(outOfServiceBefore + 1);
        assertThat(count(log, "registered again")).as("the Restart alone registers").isEqualTo(registeredAgainBefore + 1);
        assertThat(log.lastIndexOf("gateway agw1 out of service")).isLessThan(log.lastIndexOf("registered again"));
        NgReply query = ng.request(new NgRequest.Query(NgParameters.builder().callId("forced-1").build()));
        assertThat(query).isInstanceOfSatisfying(NgReply.Error.class, error -> assertThat(error.reason()).contains("agw1 out of service (ServiceChange Forced)"));
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId("forced-1").build()))).isEqualTo(NgReply.ok());
        assertThat(offer("forced-2")).isInstanceOf(NgReply.Ok.class); // registered again: it takes new calls
        ng.request(new NgRequest.Delete(NgParameters.builder().callId("forced-2").build()));
    }

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.contains(line)).count();
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void aGatewayRestartReleasesItsCallsAndTheNgPortSaysSo() throws Exception {
        assertThat(offer("restart-1")).isInstanceOf(NgReply.Ok.class);
        assertThat(answer("restart-1")).isInstanceOf(NgReply.Ok.class);
        gateway.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> controller.logText().contains("registered again"));
        NgReply query = ng.request(new NgRequest.Query(NgParameters.builder().callId("restart-1").build()));
        assertThat(query).isInstanceOfSatisfying(NgReply.Error.class, error -> assertThat(error.reason()).contains("agw1 restarted"));
        NgReply reOffer = ng.request(new NgRequest.Offer(NgParameters.builder().callId("restart-1").fromTag("alice").toTag("bob").sdp(OFFER).build()));
        assertThat(reOffer).isInstanceOf(NgReply.Error.class);
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId("restart-1").build()))).isEqualTo(NgReply.ok());
        assertThat(ng.request(new NgRequest.Query(NgParameters.builder().callId("restart-1").build())))
                .isEqualTo(NgReply.error("Unknown call-id"));
        assertThat(offer("restart-2")).isInstanceOf(NgReply.Ok.class); // the restarted gateway takes new calls
        ng.request(new NgRequest.Delete(NgParameters.builder().callId("restart-2").build()));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void aRetransmittedOfferOrAnswerGetsTheSameReplyAndIsAnchoredOnce() throws Exception {
        NgRequest offer = new NgRequest.Offer(NgParameters.builder().callId("again-1").fromTag("alice").viaBranch("z9hG4bK-again").sdp(OFFER).build());
        NgReply first = ng.request(offer);
        double contexts = metric("mediasec_gateway_contexts");
        assertThat(ng.request(offer)).isEqualTo(first); // a new cookie: not the endpoint's cache, the call's own memory
        assertThat(metric("mediasec_gateway_contexts")).isEqualTo(contexts);
        NgReply answered = answer("again-1");
        assertThat(answer("again-1")).isEqualTo(answered); // a 200 OK retransmitted
        delete("again-1");
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void theCalleeReOffersByItsOwnTag() throws Exception {
        offer("reoffer-1");
        NgReply.Ok answered = (NgReply.Ok) answer("reoffer-1");
        String refresh = ANSWER.replace("o=bob 1 1", "o=bob 1 2");
        NgReply reOffer = ng.request(new NgRequest.Offer(NgParameters.builder().callId("reoffer-1").fromTag("bob").toTag("alice").sdp(refresh).build()));
        // towards UE-A (the caller) the callee's re-offer shows the gateway's same TLS end as the first answer did
        assertThat(reOffer).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(mLine(ok)).isEqualTo(mLine(answered)));
        String reAnswer = OFFER.replace("o=alice 1 1", "o=alice 1 2").replace("a=setup:actpass", "a=setup:active");
        assertThat(ng.request(new NgRequest.Answer(NgParameters.builder().callId("reoffer-1").fromTag("bob").toTag("alice").sdp(reAnswer).build())))
                .isInstanceOf(NgReply.Ok.class);
        delete("reoffer-1");
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void aSecondForkGetsItsOwnContextAndADeleteByBothTagsEndsOnlyIt() throws Exception {
        NgReply.Ok offered = (NgReply.Ok) offer("fork-1");
        NgReply.Ok first = (NgReply.Ok) ng.request(new NgRequest.Answer(NgParameters.builder().callId("fork-1").fromTag("alice").toTag("bob-1")
                .sdp(ANSWER).build()));
        NgReply.Ok second = (NgReply.Ok) ng.request(new NgRequest.Answer(NgParameters.builder().callId("fork-1").fromTag("alice").toTag("bob-2")
                .sdp(ANSWER.replace("o=bob", "o=bob2")).build()));
        assertThat(mLine(second)).isNotEqualTo(mLine(first)); // each dialog its own context, its own port towards UE-A
        assertThat(dialogues("fork-1")).isEqualTo(2);
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId("fork-1").fromTag("alice").toTag("bob-2").build())))
                .isEqualTo(NgReply.ok());
        assertThat(dialogues("fork-1")).isEqualTo(1);
        delete("fork-1");
        assertThat(offered.sdp()).isPresent();
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void deleteDelayKeepsTheCallForItsDelay() throws Exception {
        offer("delay-1");
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId("delay-1").deleteDelay(1).build()))).isEqualTo(NgReply.ok());
        assertThat(calls()).contains("delay-1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(calls()).doesNotContain("delay-1"));
    }

    @Test
    @Tag("NG-2")
    @WireTest
    void unanchoredMediaIsRefusedWhenTheProxyAsks() throws Exception {
        NgReply refused = ng.request(new NgRequest.Offer(NgParameters.builder().callId("strict-1").fromTag("alice").sdp(OFFER)
                .flags(List.of("refuse-unanchored")).build()));
        assertThat(refused).isInstanceOfSatisfying(NgReply.Error.class, error -> assertThat(error.reason()).contains("m-line 1 audio RTP/AVP"));
        assertThat(calls()).doesNotContain("strict-1");
        NgReply unknownSide = ng.request(new NgRequest.Offer(NgParameters.builder().callId("strict-2").fromTag("alice").sdp(OFFER)
                .direction(List.of("internet", "core")).build()));
        assertThat(unknownSide).isInstanceOfSatisfying(NgReply.Error.class, error -> assertThat(error.reason()).contains("Unknown interface 'internet'"));
    }

    private static String mLine(NgReply.Ok ok) {
        return ok.sdp().orElseThrow().lines().filter(line -> line.startsWith("m=message")).findFirst().orElseThrow();
    }

    private static long dialogues(String callId) throws Exception {
        NgReply.Ok query = (NgReply.Ok) ng.request(new NgRequest.Query(NgParameters.builder().callId(callId).build()));
        return ((NgInteger) query.fields().get("dialogues")).value();
    }

    private static List<String> calls() throws Exception {
        NgReply.Ok list = (NgReply.Ok) ng.request(new NgRequest.ListCalls(NgParameters.NONE));
        return ((NgList) list.fields().get(NgKeys.CALLS)).items().stream().map(item -> ((NgString) item).utf8().orElseThrow()).toList();
    }

    private static void delete(String callId) throws Exception {
        assertThat(ng.request(new NgRequest.Delete(NgParameters.builder().callId(callId).build()))).isEqualTo(NgReply.ok());
    }

    private static double metric(String name) throws Exception {
        return ControllerMetrics.sum(controller.metricsPort(), name, "");
    }

    @Test
    @Order(Integer.MAX_VALUE) // the process stops: the last test
    void sigtermReleasesEveryCallAndExitsCleanly() throws Exception {
        NgReply offered = offer("shutdown-1");
        assertThat(offered).isInstanceOf(NgReply.Ok.class);
        assertThat(answer("shutdown-1")).isInstanceOf(NgReply.Ok.class);
        // the gateway listens for UE-A on the port the offer's rewrite gave it
        int port = Integer.parseInt(((NgReply.Ok) offered).sdp().orElseThrow().lines().filter(line -> line.startsWith("m=message "))
                .findFirst().orElseThrow().split(" ")[1]);
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        }
        assertThat(controller.stop(Duration.ofSeconds(20))).isZero();
        assertThat(controller.logText()).contains("stopping: ng port closed, every call's contexts released");
        // the call's contexts were subtracted before the process went: the gateway no longer listens there
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(refused(port)).isTrue());
    }

    private static boolean refused(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String errorOf(String message) throws Exception {
        byte[] reply = ng.send(message.getBytes(StandardCharsets.ISO_8859_1)).orElseThrow(() -> new AssertionError("no reply to " + message));
        NgReply parsed = NgProbe.reply(reply);
        assertThat(parsed).as("reply to %s", message).isInstanceOf(NgReply.Error.class);
        return ((NgReply.Error) parsed).reason();
    }

    /** The rewritten SDP rtpengine-ng-client printed (it prints the one it sent first). */
    private static String newSdp(Peers.Result result) {
        String out = result.stdout();
        return out.substring(out.indexOf("New SDP:"));
    }
}
