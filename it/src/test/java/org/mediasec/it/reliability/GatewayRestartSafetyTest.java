package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248stack.client.CommandClient.ActionResult;
import org.mediasec.it.harness.MsrpStreamCommands;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * Restart safety of the gateway's certificates: a gateway killed (SIGKILL) and started again on the same data
 * directory keeps every certificate it generated there, byte for byte, with the same SHA-256 fingerprints as
 * {@code openssl x509 -fingerprint -sha256} reads them, and announces the same fingerprint in the Local SDP of an
 * e2ae TLS leg before and after (UEs that pinned it still reach it).
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(300)
class GatewayRestartSafetyTest {

    private static final Duration REGISTERED_AGAIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @WireTest
    void aGatewayKilledAndRestartedOnItsDataDirectoryKeepsItsCertificatesAndTheirFingerprints() throws Exception {
        try (FaultRig rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(4), "")) {
            String announced = announcedFingerprint(rig);
            Map<Path, String> before = fingerprints(dir.resolve("gateway-data"));
            assertThat(before).as("certificates in the data directory").isNotEmpty();
            assertThat(before.values()).as("the fingerprint the gateway announces is one of its stored certificates'").contains(announced);
            Map<Path, byte[]> files = contents(before);

            rig.gateway.kill();
            rig.gateway = rig.gateway.restarted();
            Awaitility.await("registered again").atMost(REGISTERED_AGAIN).until(() -> rig.mgc.registrations().size() == 2);

            assertThat(fingerprints(dir.resolve("gateway-data"))).as("openssl's fingerprints after the restart").isEqualTo(before);
            contents(before).forEach((file, bytes) -> assertThat(bytes).as("%s unchanged", file).isEqualTo(files.get(file)));
            assertThat(announcedFingerprint(rig)).as("announced after the restart").isEqualTo(announced);
        }
    }

    /** The a=fingerprint of the gateway's Local SDP for an e2ae TLS leg (TLS-3), upper-case hex; the context is subtracted. */
    private static String announcedFingerprint(FaultRig rig) throws Exception {
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        Fingerprint fingerprint = new Fingerprint("sha-256", CertificateFingerprint.of("sha-256", ue.certificate()).digest());
        ActionResult added = rig.mgc.action(ContextId.CHOOSE, MsrpStreamCommands.adds(MsrpStreamCommands.tlsAccess(fingerprint)));
        String sdp = ((CommandReply.AmmsReply) added.replies().get(0)).localSdp(1).orElseThrow();
        rig.mgc.release(added.contextId());
        return sdp.lines().filter(line -> line.startsWith("a=fingerprint:sha-256 ")).findFirst().orElseThrow(() -> new AssertionError(sdp))
                .substring("a=fingerprint:sha-256 ".length()).strip().toUpperCase(Locale.ROOT);
    }

    /** Every cert.pem under {@code dataDir}, with its SHA-256 fingerprint as openssl reads it. */
    private static Map<Path, String> fingerprints(Path dataDir) throws IOException, InterruptedException {
        Map<Path, String> fingerprints = new TreeMap<>();
        List<Path> certificates;
        try (Stream<Path> files = Files.walk(dataDir)) {
            certificates = files.filter(file -> file.getFileName().toString().equals("cert.pem")).toList();
        }
        for (Path certificate : certificates) {
            Process openssl = new ProcessBuilder("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", certificate.toString())
                    .redirectErrorStream(true).start();
            String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(openssl.exitValue()).as(output).isZero();
            // "sha256 Fingerprint=AB:CD:…" (OpenSSL 3), "SHA256 Fingerprint=…" (1.1)
            fingerprints.put(dataDir.relativize(certificate), output.substring(output.indexOf('=') + 1).toUpperCase(Locale.ROOT));
        }
        return fingerprints;
    }

    private Map<Path, byte[]> contents(Map<Path, String> certificates) throws IOException {
        Map<Path, byte[]> contents = new TreeMap<>();
        for (Path certificate : certificates.keySet()) {
            Path file = dir.resolve("gateway-data").resolve(certificate);
            contents.put(certificate, Files.readAllBytes(file));
            contents.put(certificate.resolveSibling("key.pem"), Files.readAllBytes(file.resolveSibling("key.pem")));
        }
        return contents;
    }
}
