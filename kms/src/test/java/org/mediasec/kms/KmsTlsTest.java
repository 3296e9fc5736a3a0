package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;

/**
 * The KMS's TLS holds to the bearer's process-wide settings (SEC-4), on both providers, as openssl s_client sees it:
 * a client's renegotiation is refused, no session ticket is issued (TLS 1.2 or 1.3), and a session saved by the client
 * is not resumed.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(TlsProvider.class)
class KmsTlsTest {

    /** Ends the exchange: the KMS answers 404 and closes, by which time a ticket would have come (it follows the handshake). */
    private static final byte[] HTTP_REQUEST = "GET / HTTP/1.1\r\nHost: kms\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;
    private KmsFixture kms;
    private KmsServer server;

    @BeforeEach
    void start() throws Exception {
        kms = new KmsFixture(dir);
        server = KmsServer.start(new InetSocketAddress("127.0.0.1", 0), SelfSignedCertificate.generate("kms", Duration.ofDays(1)), provider,
                kms.service::handle, KmsServer.Limits.DEFAULT, "test");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        kms.close();
    }

    private Peers.Result sClient(byte[] input, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.address().getPort()));
        command.addAll(List.of(options));
        return Peers.run(command, input, OPENSSL_TIMEOUT);
    }

    @Test
    @Tag("SEC-4")
    void aClientsRenegotiationIsRefused() throws Exception {
        // without -quiet s_client reads "R" as "renegotiate"; TLS 1.2, since 1.3 has no renegotiation
        Peers.Result result = sClient("R\n".getBytes(StandardCharsets.US_ASCII), "-tls1_2");
        String said = result.stdout() + result.stderr();
        assertThat(said).contains("RENEGOTIATING").containsAnyOf("alert handshake failure", "alert no renegotiation");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    @Tag("SEC-4")
    void noSessionTicketIsIssuedAndASavedSessionIsNotResumed(String version) throws Exception {
        Path session = dir.resolve("session.pem");
        Peers.Result first = sClient(HTTP_REQUEST, version, "-ign_eof", "-sess_out", session.toString());
        assertThat(first.stdout()).contains("New, ").contains("HTTP/1.1 404").doesNotContain("New Session Ticket").doesNotContain("TLS session ticket");
        if (Files.exists(session)) {
            // s_client saves only a session it could offer again: none at all is the other way of not being resumable
            Peers.Result second = sClient(HTTP_REQUEST, version, "-ign_eof", "-sess_in", session.toString());
            assertThat(second.stdout()).contains("New, ").contains("HTTP/1.1 404").doesNotContain("Reused, ");
        }
    }
}
