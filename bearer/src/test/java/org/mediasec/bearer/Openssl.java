package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.testsupport.Peers;

/** What OpenSSL's command line says about certificates: the cross-check of our own fingerprint computation. */
final class Openssl {

    private Openssl() {}

    /** {@code openssl x509 -fingerprint -<hash>} of a PEM certificate, as an SDP fingerprint ({@code hash}: sha-1, sha-256, ...). */
    static CertificateFingerprint fingerprint(Path pem, String hash) throws Exception {
        String digest = hash.replace("-", "").toLowerCase(Locale.ROOT);
        Peers.Result result = Peers.run(List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-fingerprint", "-" + digest), new byte[0],
                Duration.ofSeconds(15));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        // "sha256 Fingerprint=AB:CD:..." (OpenSSL 3), "SHA256 Fingerprint=..." (1.1)
        String line = result.stdout().strip();
        assertThat(line.toLowerCase(Locale.ROOT)).startsWith(digest + " fingerprint=");
        return CertificateFingerprint.parse(hash, line.substring(line.indexOf('=') + 1));
    }
}
