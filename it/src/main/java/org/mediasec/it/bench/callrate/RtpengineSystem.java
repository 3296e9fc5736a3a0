package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * rtpengine driven through whole calls over its ng port, as Kamailio's rtpengine module drives it: {@code offer}
 * with the caller's SDP (one audio m-line; rtpengine carries no TCP media), {@code answer} with the callee's,
 * {@code delete}; each allocates ports and rewrites the SDP, as the gateway's Add and Modify do. Set-up is the offer.
 * Bearer calls send RTP both ways through rtpengine before the delete ({@link RtpBearer}). Thread rule: {@link #call}
 * from any thread; replies continue on the ng client's receiver thread, bearers on virtual threads.
 */
final class RtpengineSystem implements CallSystem {

    private static final Duration READY = Duration.ofSeconds(10);
    private static final String CALLER_TAG = "caller";
    private static final String CALLEE_TAG = "callee";
    /** Where SDP of a call without media says its RTP goes: nothing is ever sent there. */
    private static final int SILENT_PORT_BASE = 16384;

    private final RtpengineProcess process;
    private final NgClient client;
    private final RtpBearer bearer;
    private final String callPrefix;

    private RtpengineSystem(RtpengineProcess process, NgClient client, RtpBearer bearer, String callPrefix) {
        this.process = process;
        this.client = client;
        this.bearer = bearer;
        this.callPrefix = callPrefix;
    }

    /** Starts rtpengine and waits until it answers an ng ping. */
    static RtpengineSystem start(Path directory, String round, boolean quietLogs, NgWire wire, int bearerBytes, ExecutorService bearerThreads)
            throws IOException, InterruptedException {
        int ngPort = GatewayUnderTest.freeUdpPort();
        RtpengineProcess process = RtpengineProcess.start(directory, round, ngPort, quietLogs);
        NgClient client = new NgClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), ngPort), wire);
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            try {
                NgWire.Reply pong = client.request(new NgWire.Request("ping", Map.of())).get(1, TimeUnit.SECONDS);
                if (pong.result().equals("pong")) {
                    break;
                }
                throw new IOException("rtpengine answered ping with " + pong);
            } catch (TimeoutException | ExecutionException notYet) {
                if (System.nanoTime() - deadline > 0 || !process.alive()) {
                    client.close();
                    process.close();
                    throw new IOException("rtpengine did not answer an ng ping within " + READY.toSeconds() + " s; its log " + process.log() + ":\n"
                            + (Files.exists(process.log()) ? Files.readString(process.log()) : "(none)"));
                }
            }
        }
        return new RtpengineSystem(process, client, new RtpBearer(bearerBytes, bearerThreads), "call-" + round + "-");
    }

    @Override
    public String name() {
        return "rtpengine";
    }

    @Override
    public CompletableFuture<Long> call(long number, boolean withBearer) {
        String callId = callPrefix + number;
        RtpBearer.Endpoints media = withBearer ? bearer.open() : null;
        int silent = SILENT_PORT_BASE + (int) (number % SILENT_PORT_BASE) * 2;
        int callerPort = media != null ? media.caller().getLocalPort() : silent;
        int calleePort = media != null ? media.callee().getLocalPort() : silent + 2;
        Map<String, String> offer = keys(callId, CALLER_TAG);
        offer.put("sdp", Sdp.audio(number, callerPort));
        return request("offer", offer).thenCompose(offered -> {
            long answeredAt = System.nanoTime();
            Map<String, String> answer = keys(callId, CALLER_TAG);
            answer.put("to-tag", CALLEE_TAG);
            answer.put("sdp", Sdp.audio(number, calleePort));
            CompletableFuture<Void> answered = request("answer", answer).thenCompose(reply -> media == null ? CompletableFuture.completedFuture(null)
                    // the caller sends to the port the answer gave it; the callee to the port the offer gave it
                    : bearer.exchange(media, Sdp.port(reply), Sdp.port(offered)));
            // the call ends with a delete whatever happened after the offer: rtpengine keeps nothing behind
            return answered.handle((done, problem) -> problem).thenCompose(problem -> request("delete", keys(callId, CALLER_TAG))
                    .handle((deleted, failure) -> {
                        if (media != null) {
                            media.close();
                        }
                        if (problem != null) {
                            throw problem instanceof RuntimeException runtime ? runtime : new IllegalStateException(problem);
                        }
                        if (failure != null) {
                            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
                        }
                        return answeredAt;
                    }));
        }).whenComplete((done, failure) -> {
            if (failure != null && media != null) {
                media.close(); // the offer failed: no delete ran
            }
        });
    }

    private static Map<String, String> keys(String callId, String fromTag) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("call-id", callId);
        keys.put("from-tag", fromTag);
        return keys;
    }

    /** One command; a reply other than "ok" is a failed call of kind "{command}: {result} ({reason})". */
    private CompletableFuture<NgWire.Reply> request(String command, Map<String, String> keys) {
        return client.request(new NgWire.Request(command, keys)).thenApply(reply -> {
            if (!reply.result().equals("ok")) {
                throw new CallFailure(command + ": " + reply.result() + reply.errorReason().map(reason -> " (" + reason + ")").orElse(""),
                        reply.toString());
            }
            return reply;
        });
    }

    @Override
    public long cpuNanos() {
        return CpuTime.process(process.pid());
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    @Override
    public String notes() {
        return "rtpengine " + (process.alive() ? "running" : "DEAD") + ", log " + process.log();
    }

    @Override
    public void close() {
        client.close();
        process.close();
    }
}
