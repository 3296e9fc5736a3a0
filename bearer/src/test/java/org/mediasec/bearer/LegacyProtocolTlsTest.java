package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TLS-7: TLS 1.0 is accepted from a UE only by a domain configured for it, on both providers; a domain that does not
 * list it still refuses it in the same process. Runs in a JVM of its own (surefire execution {@code legacy-tls}),
 * because the JDK's ban on TLS 1.0 is lifted process-wide, before any TLS use, as the gateway does at start-up.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(TlsProvider.class)
class LegacyProtocolTlsTest {

    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void liftTheJdkBanAsTheGatewayDoesAtStartUp() {
        TlsEngines.allowLegacyProtocols(List.of("TLSv1", "TLSv1.1"));
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        plane.close();
    }

    private String relayFromTls10Client(TlsDomain domain) throws Exception {
        SelfSignedCertificate ue = SelfSignedCertificate.generate("legacy ue", Duration.ofDays(1));
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ue.write(cert, key);
        Path stdin = dir.resolve("message.txt");
        Files.writeString(stdin, "MSRP x1 SEND\r\n-------x1$\r\n");
        TlsEngines engines = new TlsEngines(domain);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = plane.open(
                    LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(engines, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                    LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
            Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + pair.localAddress(Side.A).getPort(),
                    "-cert", cert.toString(), "-key", key.toString(), "-tls1", "-cipher", "ECDHE-ECDSA-AES128-SHA@SECLEVEL=0", "-quiet")
                    .redirectInput(stdin.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
            processes.add(client);
            pair.released().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> null);
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                byte[] expected = Files.readAllBytes(stdin);
                byte[] received = new byte[expected.length];
                int n = 0;
                try {
                    while (n < received.length) {
                        int read = coreSide.getInputStream().read(received, n, received.length - n);
                        if (read < 0) {
                            break;
                        }
                        n += read;
                    }
                } catch (java.net.SocketTimeoutException nothing) {
                    // refused: nothing came
                }
                pair.release("test over");
                pair.released().get(10, TimeUnit.SECONDS);
                return new String(received, 0, n, StandardCharsets.US_ASCII);
            }
        }
    }

    private TlsDomain domain(List<String> protocols) {
        List<String> suites = new ArrayList<>(TlsDomain.DEFAULT_CIPHER_SUITES);
        suites.add("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"); // TLS 1.0 has no AEAD suite
        return TlsDomain.defaults("legacy", SelfSignedCertificate.generate("mediasec legacy", Duration.ofDays(1)))
                .withProtocols(protocols).withCipherSuites(suites).withProvider(provider);
    }

    @Test
    @Tag("TLS-7")
    @WireTest
    void aDomainConfiguredForTls10AcceptsATls10Client() throws Exception {
        String atCore = relayFromTls10Client(domain(List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1")));
        assertThat(atCore).isEqualTo("MSRP x1 SEND\r\n-------x1$\r\n");
        assertThat(events).filteredOn(BearerEvent.TlsEstablished.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((BearerEvent.TlsEstablished) e).protocol()).isEqualTo("TLSv1"));
    }

    @Test
    @Tag("TLS-7")
    @WireTest
    void aDomainNotConfiguredForItStillRefusesTls10InTheSameProcess() throws Exception {
        String atCore = relayFromTls10Client(domain(List.of("TLSv1.3", "TLSv1.2")));
        assertThat(atCore).isEmpty();
        assertThat(events).noneMatch(BearerEvent.TlsEstablished.class::isInstance);
    }
}
