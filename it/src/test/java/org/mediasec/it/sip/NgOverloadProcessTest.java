package org.mediasec.it.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;
import org.mediasec.ng.message.NgKeys;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.testsupport.WireTest;

/**
 * {@code mediasec controller} under overload degrades instead of collapsing (NG-1, NG-2): with its soft in-flight bound
 * at 1 and one offer held by a gateway that does not answer (the gateway process stopped with SIGSTOP, so the Add
 * waits), a new call's offer is refused at once with {@code load limit} (the error with rtpengine's text to a proxy
 * that does not support it), while the calls in progress go on: the offer of a call held gets its reply, a delete is
 * answered, an answer is carried out once
 * the gateway answers again; and as soon as nothing is in flight, a new call is taken again.
 */
class NgOverloadProcessTest {

    private static final String OFFER = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=message 7001 TCP/TLS/MSRP *\r\na=accept-types:text/plain\r\na=path:msrps://127.0.0.1:7001/abc;tcp\r\na=setup:actpass\r\n"
            + "a=fingerprint:sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\r\n"
            + "a=3ge2ae:requested\r\n";
    private static final String ANSWER = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:msrp://127.0.0.1:7002/xyz;tcp\r\na=setup:active\r\n";

    @TempDir
    Path directory;

    private ControllerWithGateway network;
    private boolean gatewayStopped;

    @AfterEach
    void stop() throws Exception {
        if (network != null) {
            if (gatewayStopped) {
                signal("CONT");
            }
            network.close();
        }
    }

    private static NgRequest offer(String callId, boolean supportsLoadLimit) {
        NgParameters.Builder parameters = NgParameters.builder().callId(callId).fromTag("alice").sdp(OFFER);
        if (supportsLoadLimit) {
            parameters.supports(List.of(NgParameters.LOAD_LIMIT));
        }
        return new NgRequest.Offer(parameters.build());
    }

    private static NgRequest answer(String callId) {
        return new NgRequest.Answer(NgParameters.builder().callId(callId).fromTag("alice").toTag("bob").sdp(ANSWER).build());
    }

    private static NgRequest delete(String callId) {
        return new NgRequest.Delete(NgParameters.builder().callId(callId).fromTag("alice").build());
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(network.gateway().pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + name).isZero();
        gatewayStopped = name.equals("STOP");
    }

    @Test
    @Tag("NG-1")
    @Tag("NG-2")
    @WireTest
    void overloadedItRefusesNewCallsAndCarriesOnTheCallsInProgress() throws Exception {
        network = ControllerWithGateway.start(directory, "", "softInFlight: 1");
        NgProbe ng = network.ng();
        assertThat(ng.request(offer("in-progress", true))).isInstanceOf(NgReply.Ok.class);
        assertThat(ng.request(offer("ending", true))).isInstanceOf(NgReply.Ok.class);
        assertThat(ng.request(answer("ending"))).isInstanceOf(NgReply.Ok.class);

        signal("STOP");
        try (NgProbe held = new NgProbe(network.controller().ng())) {
            NgCookie waiting = held.sendOnly(offer("admitted", true));
            // the endpoint reads one socket in order: once the ping behind it is answered, the offer is in flight
            assertThat(held.request(new NgRequest.Ping(NgParameters.NONE))).isInstanceOf(NgReply.Pong.class);

            assertThat(ng.request(offer("new", true))).isEqualTo(new NgReply.LoadLimit(Optional.of(NgReplies.LOAD_LIMIT_EXCEEDED)));
            assertThat(ng.request(offer("new-old-proxy", false))).isEqualTo(NgReply.error(NgReplies.LOAD_LIMIT_EXCEEDED));
            // the offer of a call held (its INVITE again, a new cookie) is no new call: the same reply, not load limit
            assertThat(ng.request(offer("in-progress", true))).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.sdp()).isPresent());
            assertThat(ng.request(delete("ending"))).isEqualTo(NgReply.ok());
            NgCookie answering = held.sendOnly(answer("in-progress"));

            signal("CONT");
            assertThat(held.replyTo(waiting)).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.sdp()).isPresent());
            assertThat(held.replyTo(answering)).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.sdp()).isPresent());
        }
        // nothing in flight any more: new calls are taken at once
        assertThat(ng.request(offer("after", true))).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.sdp()).isPresent());
        NgReply list = ng.request(new NgRequest.ListCalls(NgParameters.builder().limit(10).build()));
        assertThat(list).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.fields().get(NgKeys.CALLS)).isEqualTo(
                new NgList(List.of(NgString.of("in-progress"), NgString.of("admitted"), NgString.of("after")))));
        for (String callId : List.of("in-progress", "admitted", "after")) {
            assertThat(ng.request(delete(callId))).isEqualTo(NgReply.ok());
        }
    }

    private double metric(String name, String label) throws Exception {
        return ControllerMetrics.sum(network.controller().metricsPort(), name, label);
    }

    /**
     * What H.248 over UDP cost is counted (H248-3, docs/performance.md issue 23): a gateway that answers at once costs
     * no retransmission; one that does not answer (stopped) is sent the Add again after the retransmission timer
     * (500 ms), and each time is counted; once it answers again the offer completes, and the count stays.
     */
    @Test
    @Tag("H248-3")
    @WireTest
    void theAddsSentAgainToAGatewayThatDoesNotAnswerAreCounted() throws Exception {
        network = ControllerWithGateway.start(directory, "");
        NgProbe ng = network.ng();
        String retransmission = "kind=\"retransmission\"";
        assertThat(ng.request(offer("quick", true))).isInstanceOf(NgReply.Ok.class);
        assertThat(ng.request(answer("quick"))).isInstanceOf(NgReply.Ok.class);
        assertThat(ng.request(delete("quick"))).isEqualTo(NgReply.ok());
        assertThat(metric("mediasec_h248_transactions_total", retransmission)).as("a gateway that answers at once costs none").isZero();

        signal("STOP");
        NgCookie waiting = ng.sendOnly(offer("held", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("mediasec_h248_transactions_total", retransmission) >= 1);
        signal("CONT");
        assertThat(ng.replyTo(waiting)).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.sdp()).isPresent());
        double sentAgain = metric("mediasec_h248_transactions_total", retransmission);
        assertThat(ng.request(delete("held"))).isEqualTo(NgReply.ok());
        assertThat(ng.request(offer("quick-again", true))).isInstanceOf(NgReply.Ok.class);
        assertThat(ng.request(delete("quick-again"))).isEqualTo(NgReply.ok());
        assertThat(metric("mediasec_h248_transactions_total", retransmission)).as("answering at once again, it costs none again").isEqualTo(sentAgain);
    }
}
