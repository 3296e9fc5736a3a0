package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mediasec.it.harness.PeerProcess;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;

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
    /** More calls than the port range lets rtpengine hold at once. */
    private static final int LIST_LIMIT = RtpengineProcess.PORTS;

    private final PeerProcess process;
    private final NgClient client;
    private final RtpBearer bearer;
    private final String callPrefix;

    private RtpengineSystem(PeerProcess process, NgClient client, RtpBearer bearer, String callPrefix) {
        this.process = process;
        this.client = client;
        this.bearer = bearer;
        this.callPrefix = callPrefix;
    }

    /** Starts rtpengine and waits until it answers an ng ping. */
    static RtpengineSystem start(Path directory, String round, boolean quietLogs, int bearerBytes, ExecutorService bearerThreads)
            throws IOException, InterruptedException {
        int ngPort = GatewayUnderTest.freeUdpPort();
        PeerProcess process = RtpengineProcess.start(directory, round, ngPort, quietLogs);
        NgClient client = new NgClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), ngPort));
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            try {
                NgReply pong = client.request(new NgRequest.Ping(NgParameters.NONE)).get(1, TimeUnit.SECONDS);
                if (pong instanceof NgReply.Pong) {
                    break;
                }
                throw new IOException("rtpengine answered ping with " + pong);
            } catch (TimeoutException | ExecutionException notYet) {
                if (System.nanoTime() - deadline > 0 || !process.alive()) {
                    client.close();
                    process.close();
                    throw new IOException("rtpengine did not answer an ng ping within " + READY.toSeconds() + " s; its log " + process.log() + ":\n"
                            + process.logText());
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
        NgRequest offer = new NgRequest.Offer(NgParameters.builder().callId(callId).fromTag(CALLER_TAG).sdp(Sdp.audio(number, callerPort)).build());
        return client.ok(offer).thenCompose(offered -> {
            long answeredAt = System.nanoTime();
            NgRequest answer = new NgRequest.Answer(NgParameters.builder().callId(callId).fromTag(CALLER_TAG).toTag(CALLEE_TAG)
                    .sdp(Sdp.audio(number, calleePort)).build());
            CompletableFuture<Void> answered = client.ok(answer).thenCompose(reply -> media == null ? CompletableFuture.completedFuture(null)
                    // the caller sends to the port the answer's rewrite gave it, the callee to the offer's
                    : bearer.exchange(media, Sdp.port(reply), Sdp.port(offered)));
            // the call ends with a delete whatever happened after the offer: rtpengine keeps nothing behind
            NgRequest delete = new NgRequest.Delete(NgParameters.builder().callId(callId).fromTag(CALLER_TAG).build());
            return answered.handle((done, problem) -> problem).thenCompose(problem -> client.ok(delete).handle((deleted, failure) -> {
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

    /** Calls rtpengine still holds ({@code list}, up to {@value #LIST_LIMIT} of them). */
    @Override
    public CompletableFuture<Integer> leftOver() {
        return client.calls(LIST_LIMIT);
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
