package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The control link over TLS 1.3 with pinned certificates, on real sockets: our MG and our MGC talk H.248 over it;
 * either side refuses a certificate it has not pinned; {@code openssl s_client} is refused without the pinned
 * certificate and accepted (TLS 1.3) with it, and cannot get TLS 1.2.
 */
class TlsLinkTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final List<ActionRequest> ADD = List.of(ActionRequest.of(ContextId.CHOOSE,
            List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final SelfSignedCertificate mgcCertificate = SelfSignedCertificate.generate("mgc", Duration.ofDays(1));
    private final SelfSignedCertificate mgCertificate = SelfSignedCertificate.generate("mg", Duration.ofDays(1));
    private final SelfSignedCertificate stranger = SelfSignedCertificate.generate("stranger", Duration.ofDays(1));

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
    }

    private static final RequestHandler ANSWERING = request -> CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(),
            List.of(ActionReply.of(ContextId.of(1), List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of()))))));

    private static TlsLink link(SelfSignedCertificate own, SelfSignedCertificate... pinned) {
        Set<CertificatePin> pins = new java.util.HashSet<>();
        for (SelfSignedCertificate peer : pinned) {
            pins.add(CertificatePin.of(peer.certificate()));
        }
        return new TlsLink(own.key(), own.chain(), pins);
    }

    private TcpEndpoint mgc(TlsLink tls) throws Exception {
        TcpEndpoint endpoint = TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, PeerLimits.DEFAULT,
                EndpointLimits.DEFAULT, Duration.ofMinutes(1), Optional.of(tls), peer -> Optional.of(ANSWERING));
        open.add(endpoint);
        return endpoint;
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void ourMgAndOurMgcTalkH248OverTlsWithPinnedCertificates() throws Exception {
        TcpEndpoint mgc = mgc(link(mgcCertificate, mgCertificate));
        TcpEndpoint mg = TcpEndpoint.connect(mgc.localAddress(), MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT, Duration.ZERO,
                Optional.of(link(mgCertificate, mgcCertificate)), ANSWERING);
        open.add(mg);

        assertThat(mg.secured()).isTrue();
        assertThat(mg.request(mgc.localAddress(), ADD).get(5, TimeUnit.SECONDS).actions()).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mgc.peers().size() == 1);
        assertThat(mgc.request(mgc.peers().iterator().next(), ADD).get(5, TimeUnit.SECONDS).actions()).hasSize(1);
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void theMgRefusesAnMgcWhoseCertificateIsNotPinned() throws Exception {
        TcpEndpoint impostor = mgc(link(stranger, mgCertificate));
        assertThatThrownBy(() -> TcpEndpoint.connect(impostor.localAddress(), MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT,
                Duration.ZERO, Optional.of(link(mgCertificate, mgcCertificate)), ANSWERING))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLS handshake failed")
                .hasStackTraceContaining(rootMessageOf(CertificatePin.of(stranger.certificate())));
        assertThat(impostor.peers()).isEmpty();
    }

    private static String rootMessageOf(CertificatePin pin) {
        return "the peer's certificate " + pin + " is not pinned";
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void theMgcRefusesAnMgWhoseCertificateIsNotPinned() throws Exception {
        TcpEndpoint mgc = mgc(link(mgcCertificate, mgCertificate));
        // the impostor MG pins the real MGC, so its side of the handshake would go through: the MGC is the one that says no
        try {
            TcpEndpoint impostor = TcpEndpoint.connect(mgc.localAddress(), MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT, Duration.ZERO,
                    Optional.of(link(stranger, mgcCertificate)), ANSWERING);
            open.add(impostor);
            // TLS 1.3: the client may finish before the server reads its certificate; the server then closes the link
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> impostor.connections() == 0);
        } catch (IllegalStateException refused) {
            assertThat(refused).hasMessageContaining("TLS handshake failed");
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mgc.handshakeFailures() == 1);
        assertThat(mgc.peers()).isEmpty();
    }

    @Test
    void aPinIsTheSdpFingerprintOfTheCertificate() throws Exception {
        CertificatePin pin = CertificatePin.of(mgcCertificate.certificate());
        assertThat(pin.toString()).isEqualTo(CertificateFingerprint.of("sha-256", mgcCertificate.certificate()).toString());
        assertThat(CertificatePin.parse(pin.toString().toLowerCase())).isEqualTo(pin);
        assertThat(pin.matches(mgcCertificate.certificate())).isTrue();
        assertThat(pin.matches(stranger.certificate())).isFalse();
        assertThat(CertificatePin.of("sha-512", mgcCertificate.certificate()).matches(mgcCertificate.certificate())).isTrue();
        assertThatThrownBy(() -> CertificatePin.parse("sha-1 AB:CD")).hasMessageContaining("sha-1");
        assertThatThrownBy(() -> CertificatePin.parse("sha-256 AB:CD")).hasMessageContaining("2 octets");
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    void aPinIsWhatOpensslCallsTheSha256Fingerprint() throws Exception {
        Path certificate = dir.resolve("mgc.pem");
        mgcCertificate.write(certificate, dir.resolve("mgc.key"));
        String openssl = run(List.of("openssl", "x509", "-in", certificate.toString(), "-noout", "-fingerprint", "-sha256"), "").strip();
        assertThat(openssl).isEqualToIgnoringCase("sha256 Fingerprint=" + CertificatePin.of(mgcCertificate.certificate()).value());
    }

    @Test
    @Tag("SEC-1")
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @WireTest
    void opensslWithoutThePinnedCertificateIsRefusedAndWithItGetsTls13() throws Exception {
        TcpEndpoint mgc = mgc(link(mgcCertificate, mgCertificate));
        String port = Integer.toString(mgc.localAddress().getPort());
        mgCertificate.write(dir.resolve("mg.pem"), dir.resolve("mg.key"));
        stranger.write(dir.resolve("stranger.pem"), dir.resolve("stranger.key"));
        // -ign_eof: s_client stays until the server closes, so that the alert of a refusal after the handshake is read
        List<String> client = List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-ign_eof");

        // an unpinned certificate: refused by the MGC with an alert, no association
        String refused = run(concat(client, "-cert", dir.resolve("stranger.pem").toString(), "-key", dir.resolve("stranger.key").toString()), "");
        assertThat(refused).containsPattern("alert (certificate unknown|bad certificate)");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mgc.handshakeFailures() == 1);
        // no certificate at all: refused
        String anonymous = run(client, "");
        assertThat(anonymous).containsPattern("alert (certificate required|handshake failure)");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mgc.handshakeFailures() == 2);
        assertThat(mgc.peers()).isEmpty();

        // the pinned certificate: TLS 1.3 up, the association made (so the refusals above were the pin's doing)
        String accepted = run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-cert", dir.resolve("mg.pem").toString(),
                "-key", dir.resolve("mg.key").toString()), "");
        assertThat(accepted).contains("TLSv1.3").doesNotContain("alert");
        // TLS 1.2 is not offered
        String old = run(concat(client, "-tls1_2", "-cert", dir.resolve("mg.pem").toString(), "-key", dir.resolve("mg.key").toString()), "");
        assertThat(old).containsPattern("alert protocol version|no protocols available|wrong version");
        assertThat(mgc.handshakeFailures()).isEqualTo(3);
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Runs a command with {@code input} on its stdin; its stdout and stderr together (it must end within 30 s). */
    private String run(List<String> command, String input) throws Exception {
        Path out = Files.createTempFile(dir, "run", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("%s ended; it said:%n%s", command, Files.readString(out)).isTrue();
        return Files.readString(out);
    }
}
