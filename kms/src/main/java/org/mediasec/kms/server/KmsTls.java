package org.mediasec.kms.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.internal.tcnative.SSL;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import org.mediasec.bearer.tls.CertificateKeys;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsProvider;

/**
 * The KMS's TLS server side, held to the bearer's profile (SEC-4, SEC-5): the TLS domains' default versions and AEAD
 * suites, on the provider the bearer prefers (BoringSSL, else the JDK), with no renegotiation, no session tickets and
 * no resumption — a KMS client makes a few requests per call, and a ticket is one more key to steal.
 *
 * <ul>
 *   <li>Renegotiation: BoringSSL has none; the JDK refuses a client's through the process-wide setting the bearer
 *       makes ({@code ProcessTlsSettings}, applied when {@link TlsProvider}'s class initialises, which the call to
 *       {@link TlsProvider#requireAvailable()} below guarantees before the first context exists).</li>
 *   <li>Tickets: SSL_OP_NO_TICKET on every BoringSSL engine (in TLS 1.3 BoringSSL then sends no NewSessionTicket);
 *       the JDK sends none when the server session timeout exceeds the 7 days RFC 8446 4.6.1 allows a ticket to
 *       live, which is set here per context, since its stateful tickets have no switch of their own.</li>
 *   <li>Resumption: no session cache (BoringSSL); the JDK's session is invalidated once its handshake is done.</li>
 * </ul>
 *
 * <p>Thread rule: immutable after {@link #create}; {@link #newHandler} is called from the event loop.
 */
final class KmsTls {

    /** RFC 8446 4.6.1: a ticket lives 7 days at most; the JDK issues none for sessions meant to live longer. */
    private static final Duration BEYOND_TICKET_LIFETIME = Duration.ofDays(7).plusSeconds(1);
    /** As long as a bearer leg waits for its handshake (TlsDomain's default). */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final SslContext context;

    private KmsTls(SslContext context) {
        this.context = context;
    }

    static KmsTls create(SelfSignedCertificate certificate, TlsProvider provider) throws SSLException {
        provider.requireAvailable();
        // the key object as it is, not through a PKCS12 key store that encrypts and decrypts it with PBKDF2
        // (CertificateKeys); OpenSSL converts it once, not per handshake
        KeyManagerFactory keys = new CertificateKeys(certificate).factory();
        SslContext context = SslContextBuilder.forServer(provider == TlsProvider.OPENSSL ? new OpenSslCachingX509KeyManagerFactory(keys, 1) : keys)
                .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(TlsDomain.DEFAULT_PROTOCOLS)
                .ciphers(TlsDomain.DEFAULT_CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .build();
        SSLSessionContext sessions = context.sessionContext();
        if (sessions instanceof OpenSslSessionContext openSsl) {
            openSsl.setSessionCacheEnabled(false);
        } else {
            sessions.setSessionCacheSize(1);
            sessions.setSessionTimeout((int) BEYOND_TICKET_LIFETIME.toSeconds());
        }
        return new KmsTls(context);
    }

    SslHandler newHandler(ByteBufAllocator allocator) {
        SSLEngine engine = context.newEngine(allocator);
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
        }
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis());
        if (!(engine instanceof ReferenceCountedOpenSslEngine)) {
            handler.handshakeFuture().addListener(done -> engine.getSession().invalidate());
        }
        return handler;
    }
}
