package org.mediasec.bearer.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.internal.tcnative.SSL;
import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediasec.traceability.Implements;

/**
 * The TLS engines of one {@link TlsDomain}, from its {@link TlsProvider}: one JDK SSLContext, or one OpenSSL
 * (BoringSSL) client and server context, per domain. What differs per leg (the peer fingerprints expected, and with
 * certificate-per-stream our certificate) is looked up by engine in our key and trust managers, which both providers
 * call with the engine whose handshake asks.
 *
 * <p>Peer authentication (TLS-3, TLS-4, TLS-5, SEC-3): the peer must present a certificate (mutual authentication: a
 * server leg requires the client's); of the fingerprints from SDP, the domain's {@link FingerprintPolicy} enforces
 * those under the strongest accepted hash function, and the certificate's DER must match one of them (compared in
 * constant time). No enforceable fingerprint, no certificate, a certificate outside its validity or no match fails
 * the handshake with a fatal alert ({@link FingerprintTrust} says which). No CA is consulted: e2ae certificates are
 * self-signed and bound by the SDP. A resumed session is authenticated by {@link Leg#authenticate}.
 *
 * <p>Process-wide settings ({@link ProcessTlsSettings}) are made before the first domain or engine exists.
 */
@Implements("TLS-5")
public final class TlsEngines {

    static {
        ProcessTlsSettings.apply();
    }

    private static final Logger LOG = LoggerFactory.getLogger(TlsEngines.class);

    private static final AtomicLong ALIASES = new AtomicLong();

    /** What one engine was told and what its handshake found. Thread rule: written on the leg's event loop only. */
    public static final class Leg {
        final FingerprintPolicy.Decision fingerprints;
        final SelfSignedCertificate certificate;
        final CertificateFingerprint localFingerprint;
        final String alias;
        final boolean resumption;
        volatile CertificateFingerprint matched;
        volatile String failure;

        Leg(FingerprintPolicy.Decision fingerprints, SelfSignedCertificate certificate, String hash, boolean ownCertificate, boolean resumption) {
            this.alias = ownCertificate ? "leg-" + ALIASES.incrementAndGet() : PerLegKeys.DOMAIN_ALIAS;
            this.fingerprints = fingerprints;
            this.certificate = certificate;
            this.localFingerprint = CertificateFingerprint.of(hash, certificate.certificate());
            this.resumption = resumption;
        }

        /** Our certificate's fingerprint, for the SDP answer. */
        public CertificateFingerprint localFingerprint() {
            return localFingerprint;
        }

        /** What this leg holds the peer's certificate to (SEC-3): the enforced fingerprints, or why there are none. */
        public FingerprintPolicy.Decision fingerprints() {
            return fingerprints;
        }

        /** The expected fingerprint the peer's certificate matched (after a successful handshake). */
        public Optional<CertificateFingerprint> peerFingerprint() {
            return Optional.ofNullable(matched);
        }

        /** Why peer authentication failed, if it did. */
        public Optional<String> authenticationFailure() {
            return Optional.ofNullable(failure);
        }

        void matched(CertificateFingerprint fingerprint) {
            matched = fingerprint;
        }

        void failed(String reason) {
            failure = reason;
        }

        /**
         * Whether a handshake that succeeded authenticated the peer (TLS-4, TLS-12). In a full handshake the trust
         * manager has matched the certificate. When a session is resumed neither provider calls a trust manager (the
         * JDK takes the session from its cache, BoringSSL skips certificate verification), so nothing has been
         * checked for this leg: with resumption enabled the certificate the session carries is held to this leg's
         * fingerprints here; anything else is refused with the reason, never left to an exception.
         */
        public Authentication authenticate(SSLSession session) {
            CertificateFingerprint checked = matched;
            if (checked != null) {
                return new Authenticated(checked, false);
            }
            if (!resumption) {
                LOG.error("a TLS handshake completed without the peer's fingerprint checked on a domain without resumption: our bug");
                return refuse("the handshake completed without the peer's fingerprint checked (TLS-4)");
            }
            X509Certificate[] chain;
            try {
                chain = Arrays.stream(session.getPeerCertificates()).filter(X509Certificate.class::isInstance)
                        .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            } catch (SSLPeerUnverifiedException e) {
                return refuse("the session was resumed without a peer certificate to check (TLS-4)");
            }
            return switch (FingerprintTrust.verify(this, chain)) {
                case FingerprintTrust.Matched found -> {
                    matched = found.fingerprint();
                    yield new Authenticated(found.fingerprint(), true);
                }
                case FingerprintTrust.Rejected rejected -> refuse("the session was resumed, and its peer certificate fails this leg's check: " + rejected.reason());
            };
        }

        private Authentication refuse(String reason) {
            failure = reason;
            return new NotAuthenticated(reason);
        }
    }

    /** What a successful handshake established about the peer. */
    public sealed interface Authentication {}

    /** The peer's certificate matched {@code fingerprint}, in this handshake or, when {@code resumed}, in the session resumed. */
    public record Authenticated(CertificateFingerprint fingerprint, boolean resumed) implements Authentication {}

    /** The handshake completed but the peer is not authenticated: the leg must not carry data (TLS-4). */
    public record NotAuthenticated(String reason) implements Authentication {}

    private final TlsDomain domain;
    private final SSLContext context;
    private final SslContext openSslServer;
    private final SslContext openSslClient;
    private final Map<SSLEngine, Leg> legs = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<String, Leg> byAlias = new ConcurrentHashMap<>();
    private final PerLegKeys keys;
    private final FingerprintTrust trust;
    private SSLContext dtlsContext;

    public TlsEngines(TlsDomain domain) {
        this.domain = domain;
        domain.provider().requireAvailable();
        keys = new PerLegKeys(domain.certificate(), legs::get, byAlias::get);
        trust = new FingerprintTrust(domain.provider(), legs::get);
        if (domain.provider() == TlsProvider.OPENSSL) {
            context = null;
            // the domain's certificate is converted for OpenSSL once, not per handshake; a certificate per stream cannot be
            KeyManagerFactory factory = domain.certificatePerStream() ? keys.factory() : new OpenSslCachingX509KeyManagerFactory(keys.factory(), 1);
            openSslServer = openSsl(SslContextBuilder.forServer(factory).clientAuth(ClientAuth.REQUIRE), trust); // TLS-5: mutual
            openSslClient = openSsl(SslContextBuilder.forClient().keyManager(factory), trust);
            return;
        }
        openSslServer = null;
        openSslClient = null;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {keys}, new javax.net.ssl.TrustManager[] {trust}, null);
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("JDK TLS unavailable", e);
        }
        if (!domain.resumption()) {
            context.getServerSessionContext().setSessionCacheSize(1);
            context.getClientSessionContext().setSessionCacheSize(1);
        }
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        List<String> unknown = domain.cipherSuites().stream().filter(suite -> !supported.contains(suite)).toList();
        if (unknown.size() == domain.cipherSuites().size()) {
            throw new IllegalArgumentException("TLS domain " + domain.name() + ": none of its cipher suites is supported: " + unknown);
        }
        if (!domain.legacyProtocols().isEmpty()) {
            requireLegacyProtocolsUsable();
        }
    }

    /**
     * One OpenSSL context. Session tickets are set per engine ({@link #newEngine}), and the server's session-ID cache
     * is turned off here unless the domain allows resumption (TLS-12); BoringSSL has no renegotiation at all (it
     * answers an attempt with a fatal no_renegotiation alert), and no compression.
     */
    @Implements("TLS-7")
    private SslContext openSsl(SslContextBuilder builder, FingerprintTrust trust) {
        try {
            SslContext built = builder.sslProvider(SslProvider.OPENSSL).trustManager(trust)
                    .protocols(domain.protocols())
                    .ciphers(domain.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE)
                    .build();
            if (!domain.resumption() && built.sessionContext() instanceof OpenSslSessionContext sessions) {
                sessions.setSessionCacheEnabled(false);
            }
            return built;
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalArgumentException("TLS domain " + domain.name() + ": OpenSSL refuses its profile: " + e.getMessage(), e);
        }
    }

    /**
     * Lifts the JDK's process-wide ban on TLS 1.0/1.1 (jdk.tls.disabledAlgorithms) for the versions given, and the SHA-1
     * handshake signatures those versions cannot do without. The JDK reads that property once, when its TLS code first
     * runs, so this must be called before any TLS use in the process: the gateway calls it at start-up when a configured
     * domain lists such a version (TLS-7: only when configured). Domains that do not list them still refuse them,
     * since every engine is given its domain's versions.
     */
    public static synchronized void allowLegacyProtocols(java.util.Collection<String> versions) {
        if (versions.isEmpty()) {
            return;
        }
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled == null) {
            return;
        }
        List<String> kept = Arrays.stream(disabled.split(","))
                .map(String::trim)
                .filter(entry -> !versions.contains(entry))
                .filter(entry -> !entry.matches("(rsa_pkcs1|ecdsa|dsa)_sha1 usage HandshakeSignature"))
                .toList();
        Security.setProperty("jdk.tls.disabledAlgorithms", String.join(", ", kept));
    }

    /** A JDK domain listing TLS 1.0/1.1 fails now, with the reason, if the JDK still has them disabled. */
    private void requireLegacyProtocolsUsable() {
        for (String version : domain.legacyProtocols()) {
            SSLEngine probe = context.createSSLEngine();
            probe.setUseClientMode(true);
            try {
                probe.setEnabledProtocols(new String[] {version});
                probe.beginHandshake();
                probe.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(probe.getSession().getPacketBufferSize()));
            } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
                throw new IllegalStateException("TLS domain " + domain.name() + " lists " + version + ", which the JDK has disabled for this process "
                        + "(jdk.tls.disabledAlgorithms); list the domain in the configuration the gateway starts with, so that "
                        + "TlsEngines.allowLegacyProtocols runs before any TLS use, or give the domain the openssl provider", e);
            } finally {
                probe.closeOutbound();
            }
        }
    }

    public TlsDomain domain() {
        return domain;
    }

    /**
     * Prepares a leg: its certificate (the domain's, or a fresh one with certificate-per-stream) and so the fingerprint
     * for the SDP answer, known before any connection exists.
     */
    public Leg prepare(List<CertificateFingerprint> expected) {
        return prepare(expected, certificateForStream());
    }

    /** A leg with a certificate chosen earlier by {@link #certificateForStream()}. */
    public Leg prepare(List<CertificateFingerprint> expected, SelfSignedCertificate certificate) {
        return new Leg(domain.fingerprintPolicy().accept(expected), certificate, domain.fingerprintHash(), !certificate.equals(domain.certificate()),
                domain.resumption());
    }

    /**
     * Another leg with {@code leg}'s certificate and fingerprints and a verdict of its own: each connection a passive
     * leg admits gets one, so that a handshake that fails cannot leave its verdict to the connection after it.
     */
    public Leg again(Leg leg) {
        return new Leg(leg.fingerprints, leg.certificate, domain.fingerprintHash(), !leg.certificate.equals(domain.certificate()), domain.resumption());
    }

    /** The certificate a new stream presents: the domain's, or with certificate-per-stream a fresh one (TLS-3). */
    @Implements("TLS-3")
    public SelfSignedCertificate certificateForStream() {
        return domain.certificatePerStream() ? SelfSignedCertificate.generate("mediasec " + domain.name(), Duration.ofDays(1)) : domain.certificate();
    }

    /** The fingerprint of a certificate as this domain reports it in SDP. */
    public CertificateFingerprint fingerprintOf(SelfSignedCertificate certificate) {
        return CertificateFingerprint.of(domain.fingerprintHash(), certificate.certificate());
    }

    /**
     * The engine for a prepared leg: client or server, expecting the peer to present a certificate matching one of the
     * leg's fingerprints. A client engine is made without peer host and port, so it never offers to resume a session.
     */
    @Implements("TLS-7")
    public SSLEngine newEngine(Leg leg, boolean client, ByteBufAllocator allocator) {
        if (context == null) {
            // a Netty OpenSSL engine: reference counted, released by the SslHandler it goes into
            SSLEngine engine = (client ? openSslClient : openSslServer).newEngine(allocator);
            if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
                if (domain.resumption()) {
                    // TLS-12, configured: BoringSSL hands out TLS 1.3 sessions as tickets only (without them a TLS 1.3
                    // client never gets a session to resume), so this domain's engines send them
                    SSL.clearOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
                } else {
                    // TLS-12: no session tickets, whatever Netty decided when its classes were loaded (it turns them on
                    // for every engine that enables TLS 1.3, unless jdk.tls.server.enableSessionTicketExtension=false
                    // was set before; the option on this engine does not depend on that order)
                    SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
                }
            }
            register(engine, leg);
            return engine;
        }
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(domain.protocols().toArray(String[]::new));
        parameters.setCipherSuites(domain.cipherSuites().stream()
                .filter(Arrays.asList(engine.getSupportedCipherSuites())::contains).toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        if (!client) {
            parameters.setNeedClientAuth(true); // TLS-5: mutual authentication
        }
        engine.setSSLParameters(parameters);
        register(engine, leg);
        return engine;
    }

    /**
     * A JDK DTLS 1.2 engine for a prepared leg (datagram legs, whatever the domain's TLS provider): the same key and
     * trust managers, so the same certificate and fingerprint check (TLS-4) and mutual authentication (TLS-5) as the
     * TLS legs; the domain's cipher suites that DTLS 1.2 has.
     */
    public SSLEngine newDtlsEngine(Leg leg, boolean client) {
        SSLEngine engine;
        synchronized (this) {
            if (dtlsContext == null) {
                try {
                    dtlsContext = SSLContext.getInstance("DTLS");
                    dtlsContext.init(new javax.net.ssl.KeyManager[] {keys}, new javax.net.ssl.TrustManager[] {trust}, null);
                    dtlsContext.getServerSessionContext().setSessionCacheSize(1);
                    dtlsContext.getClientSessionContext().setSessionCacheSize(1);
                } catch (NoSuchAlgorithmException | KeyManagementException e) {
                    throw new IllegalStateException("JDK DTLS unavailable", e);
                }
            }
            engine = dtlsContext.createSSLEngine();
        }
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {"DTLSv1.2"});
        parameters.setCipherSuites(domain.cipherSuites().stream()
                .filter(Arrays.asList(engine.getSupportedCipherSuites())::contains).toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        if (!client) {
            parameters.setNeedClientAuth(true); // TLS-5: mutual authentication
        }
        engine.setSSLParameters(parameters);
        register(engine, leg);
        return engine;
    }

    private void register(SSLEngine engine, Leg leg) {
        legs.put(engine, leg);
        if (!leg.alias.equals(PerLegKeys.DOMAIN_ALIAS)) {
            byAlias.put(leg.alias, leg);
        }
    }

    /** Forgets an engine's leg (the engines are weakly held anyway). */
    public void forget(SSLEngine engine) {
        Leg leg = legs.remove(engine);
        if (leg != null) {
            byAlias.remove(leg.alias);
        }
    }

    /** Legs whose engine has not been forgotten yet (for leak checks). */
    public int legs() {
        return legs.size();
    }
}
