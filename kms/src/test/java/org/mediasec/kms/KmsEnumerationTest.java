package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.TicketInitiator;

/**
 * No user enumeration (SEC-4): a request in the name of someone who is not a user gets exactly the answer of a user's
 * request with a wrong key — HTTP status, MIKEY error and reason — and costs the KMS the same. The two identities have
 * the same length, so the two requests differ in nothing but the name.
 */
@Timeout(120)
class KmsEnumerationTest {

    /** Alice is a user; her double is not, and is spelt with as many characters. */
    private static final KmsUid STRANGER = new KmsUid("sip:alicx@ims.example.org");
    private static final byte[] WRONG_KEY = "not-the-right-key-0123".getBytes();
    private static final int FLAGS = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS;
    /** Timing: calls of each kind measured, after as many to warm up, interleaved so that load hits both alike. */
    private static final int SAMPLES = 2_000;
    /**
     * How far apart the two medians may be. Before the fix the unknown user cost about a third of a wrong key (no key
     * derivation, no MAC, fewer queries); with it they differ by a few percent. 20% is far from both.
     */
    private static final double TOLERANCE = 0.20;

    @TempDir
    Path data;
    private KmsFixture kms;
    private KmsServer server;

    @BeforeEach
    void start() throws Exception {
        kms = new KmsFixture(data);
        server = KmsServer.start(new InetSocketAddress("127.0.0.1", 0), SelfSignedCertificate.generate("kms", Duration.ofDays(1)), kms.service);
        assertThat(STRANGER.value()).hasSameSizeAs(KmsFixture.ALICE.value());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        kms.close();
    }

    private byte[] requestAs(KmsUid who) {
        TicketInitiator initiator = new TicketInitiator(who, WRONG_KEY, KmsFixture.KMS, kms.clock, kms.random);
        return initiator.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS).message();
    }

    @Test
    @Tag("SEC-4")
    void anUnknownUserGetsTheAnswerOfAWrongKey() throws Exception {
        HttpClient client = TrustingHttps.client();
        URI base = URI.create("https://127.0.0.1:" + server.address().getPort() + "/");
        HttpResponse<byte[]> wrongKey = TrustingHttps.postMikey(client, base, requestAs(KmsFixture.ALICE)).get(20, TimeUnit.SECONDS);
        HttpResponse<byte[]> unknown = TrustingHttps.postMikey(client, base, requestAs(STRANGER)).get(20, TimeUnit.SECONDS);
        assertThat(unknown.statusCode()).isEqualTo(wrongKey.statusCode()).isEqualTo(403);
        assertThat(unknown.headers().map()).isEqualTo(wrongKey.headers().map());
        MikeyMessage wrongKeyAnswer = MikeyDecoder.decode(wrongKey.body()).message();
        MikeyMessage unknownAnswer = MikeyDecoder.decode(unknown.body()).message();
        assertThat(unknownAnswer.header().dataType()).isEqualTo(wrongKeyAnswer.header().dataType()).isEqualTo(DataType.ERROR);
        assertThat(errors(unknownAnswer)).isEqualTo(errors(wrongKeyAnswer)).containsExactly(MikeyErrorCode.AUTHENTICATION_FAILURE);
        assertThat(unknown.body()).hasSameSizeAs(wrongKey.body());
        // what the KMS logs and would say, to the letter
        assertThat(kms.service.handle(requestAs(STRANGER)).reason()).isEqualTo(kms.service.handle(requestAs(KmsFixture.ALICE)).reason());
    }

    private static List<MikeyErrorCode> errors(MikeyMessage message) {
        return message.payloads().stream().filter(Payload.Error.class::isInstance).map(p -> ((Payload.Error) p).code()).toList();
    }

    @Test
    @Tag("SEC-4")
    void anUnknownUserCostsWhatAWrongKeyCosts() {
        byte[] wrongKey = requestAs(KmsFixture.ALICE);
        byte[] unknown = requestAs(STRANGER);
        long[] wrongKeyNanos = new long[SAMPLES];
        long[] unknownNanos = new long[SAMPLES];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < SAMPLES; i++) {
                wrongKeyNanos[i] = timed(wrongKey);
                unknownNanos[i] = timed(unknown);
            }
        }
        double wrongKeyMedian = median(wrongKeyNanos);
        double unknownMedian = median(unknownNanos);
        assertThat(unknownMedian / wrongKeyMedian).as("median of an unknown user %.1f µs, of a wrong key %.1f µs", unknownMedian / 1000,
                wrongKeyMedian / 1000).isBetween(1 - TOLERANCE, 1 / (1 - TOLERANCE));
    }

    private long timed(byte[] request) {
        long start = System.nanoTime();
        KmsService.Reply reply = kms.service.handle(request);
        long elapsed = System.nanoTime() - start;
        assertThat(reply.outcome()).isEqualTo(KmsService.Outcome.REFUSED);
        return elapsed;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
