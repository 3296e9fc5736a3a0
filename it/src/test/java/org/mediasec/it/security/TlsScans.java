package org.mediasec.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * The scanners on one endpoint, their reports and figures kept in {@code it/target/tls-scans/} (the figures of
 * docs/security.md come from {@code figures.txt} there), and the verdict SEC-5 asks for.
 */
final class TlsScans {

    /** System property that chooses the {@link Depth}: {@code -Dmediasec.tls.scan=full} for the long scan. */
    static final String DEPTH_PROPERTY = "mediasec.tls.scan";

    /**
     * How much scanning: SHORT in CI (sslscan everywhere, testssl.sh's short checks on the KMS, the control link and
     * the default domain's leg on the preferred provider: about 30 s of CPU each), FULL on demand (testssl.sh's every
     * check here, on every endpoint and provider).
     */
    enum Depth {
        SHORT, FULL;

        static Depth configured() {
            return System.getProperty(DEPTH_PROPERTY, "short").equalsIgnoreCase("full") ? FULL : SHORT;
        }
    }

    /** Which scanners an endpoint gets in the short form; the full form always runs both. */
    enum InShortForm {
        /** testssl.sh's short checks and sslscan: the endpoint of its kind that CI scans with both. */
        BOTH_SCANNERS,
        /** sslscan alone (seconds): another provider of a kind that testssl.sh scans on the preferred one. */
        SSLSCAN_ONLY
    }

    /**
     * testssl.sh's web-PKI rules, which a self-signed certificate authenticated by its pinned fingerprint does not
     * follow by design (RFC 8122 fingerprints in SDP for bearer legs, TS 33.328's KMS pinned by its clients): no CA
     * chain, no host name, no revocation, a validity longer than browsers accept. They are listed so that only these
     * are set aside, each by name: any other certificate finding counts.
     */
    static final Set<String> PINNED_CERTIFICATE_RULES = Set.of("cert_chain_of_trust", "cert_trust", "cert_subjectAltName", "cert_validityPeriod",
            "cert_revocation");
    /** testssl.sh's warnings that say nothing of the endpoint: Debian's openssl has no GOST engine. */
    static final Set<String> LOCAL_WARNINGS = Set.of("engine_problem");
    static final Path REPORTS = Path.of("target", "tls-scans");

    private TlsScans() {}

    /** The scanners on {@code port}, at the same time, as the depth configured and {@code inShortForm} say; reports kept. */
    static List<Scan> scan(String endpoint, int port, Optional<ScannerClient> client, Path work, InShortForm inShortForm) throws IOException {
        Depth depth = Depth.configured();
        Files.createDirectories(REPORTS);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Scan>> running = new ArrayList<>();
            if (depth == Depth.FULL || inShortForm == InShortForm.BOTH_SCANNERS) {
                running.add(CompletableFuture.supplyAsync(() -> run(() -> TestSsl.scan(endpoint, port, client, depth, work)), executor));
            }
            running.add(CompletableFuture.supplyAsync(() -> run(() -> SslScan.scan(endpoint, port, client, work)), executor));
            List<Scan> scans = running.stream().map(CompletableFuture::join).toList();
            for (Scan scan : scans) {
                keep(scan, depth);
            }
            return scans;
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private interface Scanner {
        Scan scan() throws IOException, InterruptedException;
    }

    private static Scan run(Scanner scanner) {
        try {
            return scanner.scan();
        } catch (IOException | InterruptedException e) {
            throw new CompletionException(e);
        }
    }

    private static void keep(Scan scan, Depth depth) throws IOException {
        String name = scan.endpoint().replaceAll("[^A-Za-z0-9]+", "-") + "-" + scan.scanner();
        List<String> lines = new ArrayList<>();
        lines.add(scan.figures() + " | " + depth);
        scan.findings().forEach(f -> lines.add(f.toString()));
        Files.write(REPORTS.resolve(name + ".txt"), lines);
        Files.writeString(REPORTS.resolve("figures.txt"), scan.figures() + " | " + depth + " | " + graded(List.of(scan)).size() + " graded medium or above | "
                + TlsProfile.violations(List.of(scan)).size() + " departures from the profile\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Findings of medium severity or above, but for the pinned certificate's web-PKI rules. */
    static List<Finding> graded(List<Scan> scans) {
        return scans.stream().flatMap(s -> s.mediumOrAbove().stream()).filter(f -> !PINNED_CERTIFICATE_RULES.contains(f.id())).toList();
    }

    /** Warnings that mean a check could not be made on the endpoint. */
    static List<Finding> failedChecks(List<Scan> scans) {
        return scans.stream().flatMap(s -> s.with(Finding.Severity.WARN).stream()).filter(f -> !LOCAL_WARNINGS.contains(f.id())).toList();
    }

    /**
     * SEC-5 on a default configuration: the profile kept check by check ({@link TlsProfile}), nothing of medium
     * severity or above, and every check made.
     */
    static void assertClean(List<Scan> scans) {
        assertThat(TlsProfile.violations(scans)).as("departures from the TLS profile").isEmpty();
        assertThat(graded(scans)).as("findings of medium severity or above").isEmpty();
        assertThat(failedChecks(scans)).as("checks the scanners could not make").isEmpty();
    }
}
