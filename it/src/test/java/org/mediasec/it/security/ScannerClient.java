package org.mediasec.it.security;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;

/**
 * The certificate the scanners present where an endpoint requires one (a certificate leg authenticates its peer by
 * the fingerprint in SDP, TLS-5; the control link pins its peer's certificate, SEC-1): its PEM files for the scanners,
 * and the certificate itself for the endpoint to pin, as a UE's SDP or an operator's configuration would give it.
 */
record ScannerClient(SelfSignedCertificate generated, Path certificate, Path key) {

    static ScannerClient generate(Path directory) throws IOException {
        SelfSignedCertificate generated = SelfSignedCertificate.generate("tls scanner", Duration.ofDays(1));
        Path certificate = directory.resolve("scanner.pem");
        Path key = directory.resolve("scanner.key");
        generated.write(certificate, key);
        return new ScannerClient(generated, certificate, key);
    }

    /** The fingerprints a certificate leg expecting the scanner is given (TLS-5). */
    List<CertificateFingerprint> asExpected() {
        return List.of(CertificateFingerprint.of("sha-256", generated.certificate()));
    }
}
