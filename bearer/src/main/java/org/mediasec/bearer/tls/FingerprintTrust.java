package org.mediasec.bearer.tls;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediasec.traceability.Implements;

/**
 * The trust manager of a domain's engines (TLS-3, TLS-4, TLS-5, SEC-3): the peer's certificate is held to the
 * fingerprints its leg enforces ({@link FingerprintPolicy}); no CA is consulted. Both providers call it with the
 * engine whose handshake asks, during a full handshake only: a resumed session is judged afterwards by
 * {@link TlsEngines.Leg#authenticate}, with the same {@link #verify}.
 *
 * <p>The alert a refusal sends (RFC 8446 6.2): the JDK sends certificate_unknown (46) for any CertificateException
 * from a trust manager; BoringSSL sends the alert of the X.509 error code Netty hands it, and a plain
 * CertificateException becomes X509_V_ERR_UNSPECIFIED, i.e. internal_error (80), which blames us. So on OpenSSL a
 * refused certificate is reported as X509_V_ERR_CERT_REJECTED (bad_certificate, 42) and one outside its validity
 * as X509_V_ERR_CERT_HAS_EXPIRED / _NOT_YET_VALID (certificate_expired, 45). Thread rule: stateless apart from the
 * leg it writes its verdict to, on the thread of that leg's handshake.
 */
final class FingerprintTrust extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(FingerprintTrust.class);

    private final TlsProvider provider;
    private final Function<SSLEngine, TlsEngines.Leg> legs;

    FingerprintTrust(TlsProvider provider, Function<SSLEngine, TlsEngines.Leg> legs) {
        this.provider = provider;
        this.legs = legs;
    }

    /** Why a certificate is refused; decides the alert. */
    enum Rejection {
        /** The leg has nothing to enforce (no fingerprint, or none under an accepted hash function). */
        NOTHING_ENFORCED,
        NO_CERTIFICATE,
        EXPIRED,
        NOT_YET_VALID,
        MISMATCH
    }

    /** The verdict on a peer's certificate chain. */
    sealed interface Verdict {}

    record Matched(CertificateFingerprint fingerprint) implements Verdict {}

    record Rejected(Rejection rejection, String reason) implements Verdict {}

    /** Holds the peer's certificate to what the leg enforces: in validity, and matching one fingerprint of the enforced set. */
    static Verdict verify(TlsEngines.Leg leg, X509Certificate[] chain) {
        return switch (leg.fingerprints()) {
            case FingerprintPolicy.Refused refused -> new Rejected(Rejection.NOTHING_ENFORCED, refused.reason());
            case FingerprintPolicy.Enforced enforced -> {
                if (chain == null || chain.length == 0) {
                    yield new Rejected(Rejection.NO_CERTIFICATE, "the peer presented no certificate");
                }
                X509Certificate certificate = chain[0];
                try {
                    certificate.checkValidity();
                } catch (CertificateExpiredException e) {
                    yield new Rejected(Rejection.EXPIRED, "the peer certificate is outside its validity period: " + e.getMessage());
                } catch (CertificateNotYetValidException e) {
                    yield new Rejected(Rejection.NOT_YET_VALID, "the peer certificate is outside its validity period: " + e.getMessage());
                }
                for (CertificateFingerprint fingerprint : enforced.fingerprints()) {
                    if (fingerprint.matches(certificate)) {
                        yield new Matched(fingerprint);
                    }
                }
                yield new Rejected(Rejection.MISMATCH, "fingerprint mismatch: the peer certificate is "
                        + CertificateFingerprint.of(enforced.hashFunction(), certificate) + ", expected one of " + enforced.fingerprints());
            }
        };
    }

    @Implements("TLS-4")
    private void check(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        TlsEngines.Leg leg = engine == null ? null : legs.apply(engine);
        if (leg == null) {
            LOG.error("a TLS handshake asked for the trust of an engine no leg is registered for: our bug");
            throw new CertificateException("no leg is known for this TLS engine");
        }
        switch (verify(leg, chain)) {
            case Matched matched -> leg.matched(matched.fingerprint());
            case Rejected rejected -> {
                leg.failed(rejected.reason());
                throw refusal(rejected);
            }
        }
    }

    /** The exception from which each provider sends the alert RFC 8446 6.2 asks for. */
    private CertificateException refusal(Rejected rejected) {
        if (provider != TlsProvider.OPENSSL) {
            return new CertificateException(rejected.reason()); // JDK: certificate_unknown (46)
        }
        int x509Error = switch (rejected.rejection()) {
            case EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED; // certificate_expired (45)
            case NOT_YET_VALID -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID; // certificate_expired (45)
            case NOTHING_ENFORCED, NO_CERTIFICATE, MISMATCH -> CertificateVerifier.X509_V_ERR_CERT_REJECTED; // bad_certificate (42)
        };
        return new OpenSslCertificateException(rejected.reason(), x509Error);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the bearer uses engines only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the bearer uses engines only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the bearer uses engines only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the bearer uses engines only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0]; // any issuer: the fingerprint decides
    }
}
