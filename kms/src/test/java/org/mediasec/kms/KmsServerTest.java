package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;
import org.mediasec.testsupport.WireTest;

/** The KMS over real HTTPS on 127.0.0.1, driven by {@link KmsClient}; HTTP misuse gets HTTP answers. */
class KmsServerTest {

    private static final int FLAGS = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER;

    private KmsFixture kms;
    private KmsServer server;
    private SelfSignedCertificate certificate;
    private KmsClient client;

    @BeforeEach
    void start(@TempDir Path data) throws Exception {
        kms = new KmsFixture(data);
        certificate = SelfSignedCertificate.loadOrGenerate(data, "kms");
        server = KmsServer.start(new InetSocketAddress("127.0.0.1", 0), certificate, kms.service);
        client = new KmsClient(base(), CertificateFingerprint.of("sha-256", certificate.certificate()), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        kms.close();
    }

    private URI base() {
        return URI.create("https://127.0.0.1:" + server.address().getPort() + "/");
    }

    @Test
    @Tag("E2E-9")
    @WireTest
    void ticketRequestAndResolveOverHttps() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.IssuedTicket ticket = client.requestTicket(alice, alice.requestInit(List.of(KmsFixture.CONFERENCE), 1, Duration.ofHours(1), FLAGS));
        TicketInitiator.PendingTransfer transfer = alice.transferInit(ticket);
        TicketResponder conference = kms.responder(KmsFixture.CONFERENCE, KmsFixture.CONFERENCE_KEY);
        TicketResponder.Answer answer = conference.transferResp(client.resolve(conference, conference.acceptTransferInit(transfer.message())));
        SessionKeys keys = alice.acceptTransferResp(transfer, answer.message());
        assertThat(keys.tek(1).orElseThrow()).isEqualTo(answer.keys().tek(1).orElseThrow());

        TicketResponder mallory = kms.responder(KmsFixture.MALLORY, KmsFixture.MALLORY_KEY);
        TicketInitiator.PendingTransfer forAnyone = alice.transferInit(client.requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS)));
        assertThatThrownBy(() -> client.resolve(mallory, mallory.acceptTransferInit(forAnyone.message()))).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_ID));
    }

    @Test
    void httpMisuseGetsHttpAnswers() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).build();
        URI mikey = base().resolve(KmsServer.PATH);
        assertThat(http.send(HttpRequest.newBuilder(mikey).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(mikey).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        assertThat(http.send(HttpRequest.newBuilder(base().resolve("/other")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> oversize = http.send(HttpRequest.newBuilder(mikey).header("Content-Type", KmsServer.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000])).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(oversize.statusCode()).isEqualTo(413);
        HttpResponse<byte[]> garbage = http.send(HttpRequest.newBuilder(mikey).header("Content-Type", KmsServer.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 99, 0})).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.headers().firstValue("Content-Type")).contains(KmsServer.CONTENT_TYPE);
    }

    @Test
    void aClientRefusesAKmsWithAnotherCertificate() {
        SelfSignedCertificate other = SelfSignedCertificate.generate("kms", Duration.ofDays(1));
        KmsClient pinnedElsewhere = new KmsClient(base(), CertificateFingerprint.of("sha-256", other.certificate()), Duration.ofSeconds(5));
        TicketInitiator alice = kms.alice();
        assertThatThrownBy(() -> pinnedElsewhere.requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS)))
                .isInstanceOf(IOException.class);
    }

    private static javax.net.ssl.SSLContext trustAll() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) { }
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
