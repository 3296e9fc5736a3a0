package org.mediasec.it.reliability;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.mediasec.app.ue.UeTls;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.sdp.Fingerprint;

/**
 * The TLS of the soak's clients: the UE and the core each present a certificate of their own (its fingerprint goes to
 * the gateway in Remote) and hold the gateway to the fingerprint of its reply's Local, as a UE does with SDP (RFC 8122
 * 5, TLS-3); a fax UE does the same over DTLS 1.2 (RFC 7345, RFC 8842). One certificate per side for the whole soak: the gateway checks each handshake against the call's Remote
 * all the same. Thread rule: immutable; {@link #client} on any thread.
 */
final class SoakTls {

    private static final Duration VALIDITY = Duration.ofDays(2);

    private final SelfSignedCertificate ue = SelfSignedCertificate.generate("soak-ue", VALIDITY);
    private final SelfSignedCertificate core = SelfSignedCertificate.generate("soak-core", VALIDITY);
    private final SSLContext ueContext = UeTls.context(ue);
    private final SSLContext coreContext = UeTls.context(core);
    private final SSLContext ueDtlsContext = UeTls.context(ue, "DTLS");

    Fingerprint ueFingerprint() {
        return sdp(ue);
    }

    Fingerprint coreFingerprint() {
        return sdp(core);
    }

    /**
     * TLS client over {@code connected} (the UE's socket when {@code ueSide}, else the core's), handshake done, the
     * gateway's certificate matched against {@code gateway}; closing the result closes the socket.
     */
    Socket client(Socket connected, boolean ueSide, Optional<Fingerprint> gateway) throws IOException {
        Fingerprint expected = gateway.orElseThrow(() -> new IOException("the gateway's Local SDP has no fingerprint on a TLS leg"));
        SSLContext context = ueSide ? ueContext : coreContext;
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connected, connected.getInetAddress().getHostAddress(), connected.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        try {
            check((X509Certificate) tls.getSession().getPeerCertificates()[0], expected);
        } catch (IOException e) {
            tls.close();
            throw e;
        }
        return tls;
    }

    /**
     * The UE's DTLS client over {@code connected} (bound to the port its Remote gives, connected to the gateway's access
     * leg), handshake done within {@code limit}, the gateway's certificate matched against {@code gateway}.
     */
    DtlsClient dtlsClient(DatagramSocket connected, Optional<Fingerprint> gateway, Duration limit) throws IOException {
        Fingerprint expected = gateway.orElseThrow(() -> new IOException("the gateway's Local SDP has no fingerprint on a DTLS leg"));
        DtlsClient dtls = DtlsClient.handshake(connected, ueDtlsContext, limit);
        check((X509Certificate) dtls.peerCertificate(), expected);
        return dtls;
    }

    private static void check(X509Certificate presented, Fingerprint expected) throws IOException {
        CertificateFingerprint fingerprint = CertificateFingerprint.of(expected.hashFunction(), presented);
        if (!fingerprint.equals(CertificateFingerprint.of(expected.hashFunction(), expected.value()))) {
            throw new IOException("the gateway presented " + fingerprint + ", its Local SDP says " + expected.hashFunction());
        }
    }

    private static Fingerprint sdp(SelfSignedCertificate certificate) {
        CertificateFingerprint fingerprint = CertificateFingerprint.of("sha-256", certificate.certificate());
        return new Fingerprint(fingerprint.hashFunction(), fingerprint.digest());
    }
}
