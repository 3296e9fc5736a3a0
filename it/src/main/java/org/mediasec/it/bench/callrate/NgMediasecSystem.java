package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mediasec.app.ServerJvmOptions;
import org.mediasec.app.demo.ControllerProcess;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;

/**
 * mediasec driven as a SIP proxy drives it (issue 23): a {@code mediasec controller} process (IMS-ALG with its ng
 * port) controlling a {@code mediasec gateway} process, whole calls over the ng port with the same client and timers
 * as {@link RtpengineSystem}: {@code offer} with a UE's e2ae MSRP SDP (TCP/TLS/MSRP, its fingerprint, the request;
 * the SDP mediasec anchors), {@code answer} from the core (TCP/MSRP, active: the gateway's legs listen), {@code delete}.
 * Each call is an Add of two terminations, a Modify and a Subtract on the gateway, and its SDP rewritten twice.
 * Set-up is the offer. No media ({@code --bearer-every 0}): this measures the control path. Thread rule as
 * {@link RtpengineSystem}.
 */
final class NgMediasecSystem implements CallSystem {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final String CALLER_TAG = "ue-a";
    private static final String CALLEE_TAG = "ue-b";
    private static final int LIST_LIMIT = 100_000;
    /** One sample of the controller's refusal counter in Prometheus' text format: its check, its value. */
    private static final Pattern REFUSALS = Pattern.compile("^mediasec_ng_refusals_total\\{[^}]*check=\"([^\"]*)\"[^}]*\\}\\s+(\\S+)", Pattern.MULTILINE);
    static final String RETRANSMISSIONS_RECEIVED = "ng retransmissions received";
    /** The controller's H.248 transactions with the gateway that the transport cost, by kind (retransmission, ...). */
    private static final Pattern TRANSACTIONS = Pattern.compile("^mediasec_h248_transactions_total\\{[^}]*kind=\"([^\"]*)\"[^}]*\\}\\s+(\\S+)", Pattern.MULTILINE);
    /** The requests the ng endpoint received again under a cookie it had seen (the client's retransmissions). */
    private static final Pattern RETRANSMISSIONS = Pattern.compile("^mediasec_ng_messages_total\\{[^}]*kind=\"retransmission\"[^}]*\\}\\s+(\\S+)", Pattern.MULTILINE);
    private static final String FINGERPRINT = "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    private final GatewayUnderTest gateway;
    private final ControllerProcess controller;
    private final NgClient client;
    private final String callPrefix;
    private final HttpClient http = HttpClient.newHttpClient();

    private NgMediasecSystem(GatewayUnderTest gateway, ControllerProcess controller, NgClient client, String callPrefix) {
        this.gateway = gateway;
        this.controller = controller;
        this.client = client;
        this.callPrefix = callPrefix;
    }

    /** Starts the controller and a gateway with {@code eventLoops} bearer loops, and waits until the gateway registered. */
    static NgMediasecSystem start(Path directory, String round, int eventLoops, boolean quietLogs) throws IOException, InterruptedException {
        ControllerProcess controller = ControllerProcess.prepare("controller-" + round, directory);
        int control = GatewayUnderTest.freeUdpPort();
        GatewayUnderTest gateway = GatewayUnderTest.start(directory.resolve("ng-" + round), control, controller.h248Port(), eventLoops, quietLogs);
        try {
            controller.start(List.of(new ControllerProcess.Gateway("agw1", control)), "calls: { maxCalls: " + LIST_LIMIT + " }\n", "",
                    ServerJvmOptions.options()); // as ./mediasec controller starts it
            controller.awaitRegistrations(1);
            NgClient client = new NgClient(controller.ng());
            NgReply pong = client.request(new NgRequest.Ping(NgParameters.NONE)).get(READY.toSeconds(), TimeUnit.SECONDS);
            if (!(pong instanceof NgReply.Pong)) {
                throw new IOException("mediasec controller answered ping with " + pong);
            }
            return new NgMediasecSystem(gateway, controller, client, "ngcall-" + round + "-");
        } catch (TimeoutException | ExecutionException | IOException | RuntimeException e) {
            gateway.close();
            controller.close();
            throw new IOException("mediasec controller and gateway did not come up (" + controller.log() + "): " + e, e);
        }
    }

    @Override
    public String name() {
        return "mediasec ng";
    }

    @Override
    public CompletableFuture<Long> call(long number, boolean bearer) {
        String callId = callPrefix + number;
        NgRequest offer = new NgRequest.Offer(NgParameters.builder().callId(callId).fromTag(CALLER_TAG).sdp(offerSdp(number))
                .direction(List.of("access", "core")).build());
        return client.ok(offer).thenCompose(offered -> {
            long answeredAt = System.nanoTime();
            NgRequest answer = new NgRequest.Answer(NgParameters.builder().callId(callId).fromTag(CALLER_TAG).toTag(CALLEE_TAG).sdp(answerSdp(number)).build());
            NgRequest delete = new NgRequest.Delete(NgParameters.builder().callId(callId).fromTag(CALLER_TAG).build());
            // the call ends with a delete whatever the answer did: nothing is left behind
            return client.ok(answer).handle((done, problem) -> problem).thenCompose(problem -> client.ok(delete).handle((deleted, failure) -> {
                Throwable first = problem != null ? problem : failure;
                if (first != null) {
                    throw first instanceof RuntimeException runtime ? runtime : new IllegalStateException(first);
                }
                return answeredAt;
            }));
        });
    }

    private static String offerSdp(long session) {
        return "v=0\r\no=ue-a " + session + " 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message 7394 TCP/TLS/MSRP *\r\na=accept-types:text/plain\r\na=path:msrps://127.0.0.1:7394/s" + session + ";tcp\r\n"
                + "a=setup:actpass\r\na=fingerprint:" + FINGERPRINT + "\r\na=3ge2ae:requested\r\n";
    }

    private static String answerSdp(long session) {
        return "v=0\r\no=ue-b " + session + " 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:msrp://127.0.0.1:9/b" + session + ";tcp\r\na=setup:active\r\n";
    }

    /** Calls the controller still holds ({@code list}). */
    @Override
    public CompletableFuture<Integer> leftOver() {
        return client.calls(LIST_LIMIT);
    }

    @Override
    public long cpuNanos() {
        return CpuTime.processes(pids());
    }

    @Override
    public List<Long> pids() {
        return List.of(gateway.process().pid(), controller.pid());
    }

    /**
     * The controller's {@code mediasec_ng_refusals_total} by check, its {@code mediasec_ng_messages_total} of kind
     * retransmission under {@link #RETRANSMISSIONS_RECEIVED}, and its {@code mediasec_h248_transactions_total} by kind
     * ("H.248 retransmission", ...), from its metrics port.
     */
    @Override
    public Map<String, Long> refusals() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.metricsPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build();
        try {
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Long> counts = new TreeMap<>();
            Matcher sample = REFUSALS.matcher(body);
            while (sample.find()) {
                counts.put(sample.group(1), (long) Double.parseDouble(sample.group(2)));
            }
            if (counts.isEmpty()) {
                throw new IllegalStateException("the controller's metrics have no mediasec_ng_refusals_total");
            }
            // not a check: the retransmissions the endpoint received, which grow once replies take longer than the
            // client's first timer (500 ms) and add load where the step is already overloaded
            Matcher retransmissions = RETRANSMISSIONS.matcher(body);
            if (retransmissions.find()) {
                counts.put(RETRANSMISSIONS_RECEIVED, (long) Double.parseDouble(retransmissions.group(1)));
            }
            // and the H.248 requester's towards the gateway, which the gateway must match to its replies
            Matcher transactions = TRANSACTIONS.matcher(body);
            while (transactions.find()) {
                counts.put("H.248 " + transactions.group(1), (long) Double.parseDouble(transactions.group(2)));
            }
            return counts;
        } catch (IOException e) {
            throw new IllegalStateException("the controller's metrics did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the controller's metrics", e);
        }
    }

    @Override
    public String notes() {
        return "mediasec controller " + (controller.alive() ? "running" : "DEAD") + " (" + controller.log() + "), gateway "
                + (gateway.process().alive() ? "running" : "DEAD") + " (" + gateway.process().log() + ")";
    }

    @Override
    public void close() {
        client.close();
        http.close();
        gateway.close();
        try {
            controller.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    InetSocketAddress ng() {
        return controller.ng();
    }
}
