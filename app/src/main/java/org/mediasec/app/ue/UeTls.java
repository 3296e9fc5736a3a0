package org.mediasec.app.ue;

import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mediasec.bearer.tls.CertificateKeys;
import org.mediasec.bearer.tls.SelfSignedCertificate;

/**
 * The UE's TLS (JDK): its certificate as key material, and a trust manager that accepts any certificate in the
 * handshake, because the peer is authenticated afterwards by its SDP fingerprint (RFC 8122 / RFC 4572 6), not by a CA.
 * Also the soak's UE and core clients (module it).
 */
public final class UeTls {

    private UeTls() {}

    /** The JDK TLS context of a UE presenting {@code certificate}, trusting any peer certificate until its fingerprint is checked. */
    public static SSLContext context(SelfSignedCertificate certificate) {
        return context(certificate, "TLS");
    }

    /** As {@link #context(SelfSignedCertificate)} for {@code protocol}: "TLS", or "DTLS" for a UE's T.38 fax (RFC 7345). */
    public static SSLContext context(SelfSignedCertificate certificate, String protocol) {
        try {
            // the key object as it is: a PKCS12 key store would encrypt and decrypt it with PBKDF2 (CertificateKeys)
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(new KeyManager[] {new CertificateKeys(certificate)}, new TrustManager[] {new FingerprintChecked()}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the UE's TLS: " + e.getMessage(), e);
        }
    }

    /** Accepts the chain; the fingerprint check follows the handshake. */
    private static final class FingerprintChecked extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
