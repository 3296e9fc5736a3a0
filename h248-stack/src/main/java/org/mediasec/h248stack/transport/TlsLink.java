package org.mediasec.h248stack.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The H.248 control link over TLS (issue 19, an option, off by default): TPKT frames (H.248.1 Annex D.2) inside TLS
 * 1.3 only, both sides authenticated by certificate, each side's certificate pinned by fingerprint at the other
 * ({@link CertificatePin}); no CA, no host name check: the pin is the identity. The JDK's TLS (no process-wide
 * setting differs for TLS 1.3: there is no renegotiation to refuse).
 *
 * @param key our private key
 * @param chain our certificate (first) and its chain
 * @param pins the peer certificates we accept; at least one
 */
public record TlsLink(PrivateKey key, List<X509Certificate> chain, Set<CertificatePin> pins) {

    /** RFC 8446: the only version offered or accepted on the control link. */
    static final String PROTOCOL = "TLSv1.3";

    public TlsLink {
        chain = List.copyOf(chain);
        pins = Set.copyOf(pins);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a TLS control link needs our certificate");
        }
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("a TLS control link needs at least one pinned peer fingerprint");
        }
    }

    /** Our own certificate's fingerprint, for the peer's operator to pin. */
    public CertificatePin fingerprint() {
        return CertificatePin.of(chain.get(0));
    }

    /** The context of the side that connects (the MG towards its MGC). */
    SslContext clientContext() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOL).keyManager(key, chain.toArray(X509Certificate[]::new))
                    .trustManager(new PinnedTrust(pins)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS control link (client): " + e.getMessage(), e);
        }
    }

    /** The context of the side that listens (the MGC): a client without a pinned certificate is refused. */
    SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).sslProvider(SslProvider.JDK).protocols(PROTOCOL)
                    .clientAuth(ClientAuth.REQUIRE).trustManager(new PinnedTrust(pins)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS control link (server): " + e.getMessage(), e);
        }
    }

    /** Accepts exactly the pinned end-entity certificates; the handshake fails with certificate_unknown otherwise. */
    private static final class PinnedTrust extends X509ExtendedTrustManager {
        private final Set<CertificatePin> pins;

        PinnedTrust(Set<CertificatePin> pins) {
            this.pins = pins;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the peer sent no certificate");
            }
            if (pins.stream().noneMatch(pin -> pin.matches(chain[0]))) {
                throw new CertificateException("the peer's certificate " + CertificatePin.of(chain[0]) + " is not pinned");
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
