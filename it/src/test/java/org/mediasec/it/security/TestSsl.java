package org.mediasec.it.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mediasec.testsupport.Peers;

/**
 * testssl.sh (Debian's {@code testssl}, 3.0) against one endpoint on 127.0.0.1, its findings read from its flat JSON
 * ({@code --jsonfile}) with its own severities. testssl.sh is slow — about 19 s of CPU for its start-up probes and the
 * protocols alone, 28 s with the short checks, 85 s with every check here — so which checks run depends on the
 * {@link TlsScans.Depth}:
 *
 * <ul>
 *   <li>{@link TlsScans.Depth#SHORT} (CI): {@code -p} protocols, {@code -s} cipher categories (NULL, anonymous, export,
 *       low, 3DES/IDEA, obsolete CBC), {@code -R} renegotiation (secure, and whether a client may start one), {@code -C}
 *       compression (CRIME): exactly what {@link TlsProfile} asserts. Forward secrecy is read from sslscan's list of
 *       every suite accepted, which says more than {@code -f}'s "offered".</li>
 *   <li>{@link TlsScans.Depth#FULL} (on demand): the above and {@code -f} forward secrecy, {@code -S} server defaults
 *       (key, signature, session tickets and resumption, certificate), and the vulnerabilities of {@code -U} one by
 *       one, without ROBOT ({@code -BB}, a Bleichenbacher oracle on RSA key transport, which the profile does not
 *       offer: sslscan's cipher list shows every suite accepted).</li>
 * </ul>
 *
 * Loopback only: {@code -n none} (no DNS), no {@code --phone-out} (no CRL or OCSP fetch). testssl.sh 3.0 cannot present
 * a client certificate (3.2's {@code --mtls} can), so for endpoints that require one it is given an openssl that adds
 * {@code -cert}/{@code -key} to every {@code s_client}; its own socket probes send none, which only the handshakes'
 * first flight needs.
 */
final class TestSsl {

    static final String COMMAND = "testssl";
    static final String PACKAGE = "testssl.sh";
    static final String SCANNER = "testssl.sh";
    static final List<String> SHORT_CHECKS = List.of("-p", "-s", "-R", "-C");
    static final List<String> FULL_CHECKS = List.of("-p", "-s", "-f", "-S",
            "-H", "-I", "-T", "-R", "-C", "-B", "-O", "-Z", "-W", "-A", "-L", "-F", "-J", "-D", "-4");
    /** On a loaded 2-core machine a full run took 11 minutes of wall time for 86 s of CPU. */
    private static final Duration TIMEOUT = Duration.ofMinutes(25);

    private TestSsl() {}

    static Scan scan(String endpoint, int port, Optional<ScannerClient> client, TlsScans.Depth depth, Path directory) throws IOException, InterruptedException {
        String name = endpoint.replaceAll("[^A-Za-z0-9]+", "-");
        Path json = directory.resolve(name + "-testssl.json");
        Path log = directory.resolve(name + "-testssl.log");
        List<String> command = new ArrayList<>(List.of(COMMAND, "--quiet", "--color", "0", "--warnings", "off", "-n", "none", "--jsonfile", json.toString()));
        if (client.isPresent()) {
            command.addAll(List.of("--openssl", opensslWithClientCertificate(client.get(), directory).toString()));
        }
        command.addAll(depth == TlsScans.Depth.FULL ? FULL_CHECKS : SHORT_CHECKS);
        command.add("127.0.0.1:" + port);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("testssl did not finish within " + TIMEOUT + " (see " + log + ")");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!Files.exists(json)) {
            throw new IOException("testssl wrote no findings (exit " + process.exitValue() + "): " + Files.readString(log));
        }
        return new Scan(SCANNER, endpoint, read(json), took);
    }

    static List<Finding> read(Path json) throws IOException {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(json.toFile())) {
            findings.add(new Finding(SCANNER, node.path("id").asText(), Finding.Severity.valueOf(node.path("severity").asText()),
                    node.path("finding").asText()));
        }
        return findings;
    }

    /** An openssl that presents the scanner's certificate on every s_client, and is otherwise the real one. */
    private static Path opensslWithClientCertificate(ScannerClient client, Path directory) throws IOException {
        Path openssl = Peers.find("openssl").orElseThrow(() -> new IOException("openssl is not installed"));
        Path wrapper = directory.resolve("openssl-with-client-certificate");
        Files.writeString(wrapper, String.join("\n",
                "#!/bin/sh",
                "# testssl.sh 3.0 has no --mtls: the scanner's certificate goes on every s_client (SEC-5, TlsScanTest)",
                "if [ \"$1\" = s_client ]; then",
                "  shift",
                "  exec " + openssl + " s_client -cert '" + client.certificate() + "' -key '" + client.key() + "' \"$@\"",
                "fi",
                "exec " + openssl + " \"$@\"",
                ""), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper;
    }
}
