package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.ticket.TicketMessages;

/**
 * Attacks on the KMS's capacity over real sockets (SEC-4): connections beyond the limit are reset at once and counted,
 * and served again once one closes; requests beyond the workers' queue are answered 503 with Retry-After at once and
 * counted, while those accepted are all served. The requests are held by a handler that waits for the test, so the
 * queue's state is known without timing.
 */
@Timeout(60)
class KmsServerLimitsTest {

    private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.generate("kms", Duration.ofDays(1));

    private KmsServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private KmsServer start(KmsServer.Limits limits, KmsServer.RequestHandler handler) throws Exception {
        server = KmsServer.start(new InetSocketAddress("127.0.0.1", 0), CERTIFICATE, TlsProvider.preferred(), handler, limits, "test");
        return server;
    }

    private URI base() {
        return URI.create("https://127.0.0.1:" + server.address().getPort() + "/");
    }

    private static KmsService.Reply error() {
        return new KmsService.Reply(TicketMessages.error(new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "test"), 0, java.time.Instant.now()),
                KmsService.Outcome.MALFORMED, "test");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.address().getPort());
        sockets.add(socket);
        return socket;
    }

    /**
     * Whether the server reset the connection: the refusal is a reset (SO_LINGER 0), which a TLS handshake timeout
     * (an orderly close, 10 s later) is not, so the two cannot be confused however slow the machine.
     */
    private static boolean resetByServer(Socket socket) throws IOException {
        socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        InputStream in = socket.getInputStream();
        try {
            in.read(); // end of stream or a byte: not a reset
            return false;
        } catch (SocketException reset) {
            return reset.getMessage().contains("reset");
        }
    }

    @Test
    @Tag("SEC-4")
    void connectionsBeyondTheLimitAreResetAndCountedAndServedAgainOnceOneCloses() throws Exception {
        start(new KmsServer.Limits(4, 1, 4, Duration.ofSeconds(30)), request -> error());
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(connect()); // plain TCP, no TLS: what a slow or hostile client holds cheapest
        }
        Socket fifth = connect();
        assertThat(resetByServer(fifth)).isTrue();
        assertThat(server.refusals().connections()).isEqualTo(1);

        held.get(0).close();
        HttpClient client = TrustingHttps.client();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                return TrustingHttps.postMikey(client, base(), new byte[] {1}).get(10, TimeUnit.SECONDS).statusCode() == 400;
            } catch (java.util.concurrent.ExecutionException refusedStill) {
                return false;
            }
        });
        assertThat(server.refusals().requests()).isZero();
    }

    @Test
    @Tag("SEC-4")
    void requestsBeyondTheQueueAreAnswered503AtOnceAndCountedWhileTheAcceptedOnesAreServed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        start(new KmsServer.Limits(16, 1, 1, Duration.ofSeconds(30)), request -> {
            running.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return error();
        });
        HttpClient client = TrustingHttps.client();
        CompletableFuture<HttpResponse<byte[]>> first = TrustingHttps.postMikey(client, base(), new byte[] {1});
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> running.get() == 1);
        // one worker busy; of the next two, one waits in the queue of one and the other finds it full, whichever comes first
        CompletableFuture<HttpResponse<byte[]>> second = TrustingHttps.postMikey(client, base(), new byte[] {2});
        CompletableFuture<HttpResponse<byte[]>> third = TrustingHttps.postMikey(client, base(), new byte[] {3});
        HttpResponse<byte[]> refused = (HttpResponse<byte[]>) CompletableFuture.anyOf(second, third).get(20, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(new String(refused.body())).contains("busy");
        assertThat(server.refusals().requests()).isEqualTo(1);
        assertThat(first).isNotDone();
        CompletableFuture<HttpResponse<byte[]>> queued = refused == second.getNow(null) ? third : second;
        assertThat(queued).isNotDone();

        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        assertThat(queued.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        assertThat(running).hasValue(2);
        assertThat(server.refusals().requests()).isEqualTo(1);
    }
}
