package org.mediasec.bearer.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.Security;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mediasec.traceability.Implements;

/**
 * The TLS engines of one {@link TlsDomain}, from its {@link TlsProvider}: one JDK SSLContext, or one OpenSSL
 * (BoringSSL) client and server context, per domain. What differs per leg (the peer fingerprints expected, and with
 * certificate-per-stream our certificate) is looked up by engine in our key and trust managers, which both providers
 * call with the engine whose handshake asks.
 *
 * <p>Peer authentication (TLS-3, TLS-4, TLS-5): the peer must present a certificate (mutual authentication: a server
 * leg requires the client's); its DER is hashed with each expected fingerprint's hash function and compared in
 * constant time; no expected fingerprint, no certificate, an expired certificate or no match fails the handshake
 * with a fatal alert (bad_certificate / certificate_unknown / certificate_expired). No CA is consulted: e2ae
 * certificates are self-signed and bound by the SDP.
 *
 * <p>Process-wide settings ({@link ProcessTlsSettings}) are made before the first domain or engine exists.
 */
@Implements("TLS-5")
public final class TlsEngines {

    static {
        ProcessTlsSettings.apply();
    }

    /** What one engine was told and what its handshake found. */
    public static final class Leg {
        final List<CertificateFingerprint> expected;
        final SelfSignedCertificate certificate;
        final CertificateFingerprint localFingerprint;
        final String alias;
        volatile CertificateFingerprint matched;
        volatile String failure;

        Leg(List<CertificateFingerprint> expected, SelfSignedCertificate certificate, String hash, boolean ownCertificate) {
            this.alias = ownCertificate ? "leg-" + ALIASES.incrementAndGet() : DOMAIN_ALIAS;
            this.expected = List.copyOf(expected);
            this.certificate = certificate;
            this.localFingerprint = CertificateFingerprint.of(hash, certificate.certificate());
        }

        /** Our certificate's fingerprint, for the SDP answer. */
        public CertificateFingerprint localFingerprint() {
            return localFingerprint;
        }

        /** The expected fingerprint the peer's certificate matched (after a successful handshake). */
        public Optional<CertificateFingerprint> peerFingerprint() {
            return Optional.ofNullable(matched);
        }

        /** Why peer authentication failed, if it did. */
        public Optional<String> authenticationFailure() {
            return Optional.ofNullable(failure);
        }
    }

    /** The key manager alias of the domain's certificate, shared by its legs (so OpenSSL can cache its key material). */
    private static final String DOMAIN_ALIAS = "domain";

    private static final java.util.concurrent.atomic.AtomicLong ALIASES = new java.util.concurrent.atomic.AtomicLong();

    private final TlsDomain domain;
    private final SSLContext context;
    private final SslContext openSslServer;
    private final SslContext openSslClient;
    private final Map<SSLEngine, Leg> legs = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<String, Leg> byAlias = new java.util.concurrent.ConcurrentHashMap<>();

    public TlsEngines(TlsDomain domain) {
        this.domain = domain;
        domain.provider().requireAvailable();
        PerLegKeys keys = new PerLegKeys();
        FingerprintTrust trust = new FingerprintTrust();
        if (domain.provider() == TlsProvider.OPENSSL) {
            context = null;
            // the domain's certificate is converted for OpenSSL once, not per handshake; a certificate per stream cannot be
            KeyManagerFactory factory = domain.certificatePerStream() ? new SingleKeyManager(keys) : new OpenSslCachingX509KeyManagerFactory(new SingleKeyManager(keys), 1);
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
     * One OpenSSL context. Netty turns session tickets off by default (SSL_OP_NO_TICKET), and the server's session-ID
     * cache is turned off here unless the domain allows resumption (TLS-12); BoringSSL has no renegotiation at all,
     * and no compression.
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
        return new Leg(expected, certificate, domain.fingerprintHash(), !certificate.equals(domain.certificate()));
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
            if (!domain.resumption() && engine instanceof ReferenceCountedOpenSslEngine openSsl) {
                // TLS-12: no session tickets, whatever Netty decided when its classes were loaded (it turns them on
                // for every engine that enables TLS 1.3, unless jdk.tls.server.enableSessionTicketExtension=false was
                // set before; the option on this engine does not depend on that order)
                SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
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

    private void register(SSLEngine engine, Leg leg) {
        legs.put(engine, leg);
        if (!leg.alias.equals(DOMAIN_ALIAS)) {
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

    private Leg leg(SSLEngine engine) throws CertificateException {
        Leg leg = engine == null ? null : legs.get(engine);
        if (leg == null) {
            throw new CertificateException("no leg is known for this TLS engine");
        }
        return leg;
    }

    private final class FingerprintTrust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, engine);
        }

        @Implements("TLS-4")
        private void check(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
            Leg leg = leg(engine);
            try {
                if (leg.expected.isEmpty()) {
                    throw new CertificateException("no peer fingerprint was given for this leg (TLS-4)");
                }
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("the peer presented no certificate");
                }
                X509Certificate certificate = chain[0];
                try {
                    certificate.checkValidity();
                } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                    throw new CertificateException("the peer certificate is outside its validity period: " + e.getMessage(), e);
                }
                for (CertificateFingerprint fingerprint : leg.expected) {
                    if (fingerprint.matches(certificate)) {
                        leg.matched = fingerprint;
                        return;
                    }
                }
                throw new CertificateException("fingerprint mismatch: the peer certificate is "
                        + CertificateFingerprint.of(leg.expected.get(0).hashFunction(), certificate) + ", expected " + leg.expected);
            } catch (CertificateException e) {
                leg.failure = e.getMessage();
                throw e;
            }
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

    /** A KeyManagerFactory around our one key manager (what Netty's OpenSSL key material cache wraps). */
    private static final class SingleKeyManager extends KeyManagerFactory {
        SingleKeyManager(PerLegKeys keys) {
            super(new KeyManagerFactorySpi() {
                @Override
                protected void engineInit(java.security.KeyStore store, char[] password) {}

                @Override
                protected void engineInit(javax.net.ssl.ManagerFactoryParameters parameters) {}

                @Override
                protected javax.net.ssl.KeyManager[] engineGetKeyManagers() {
                    return new javax.net.ssl.KeyManager[] {keys};
                }
            }, null, "mediasec");
        }
    }

    /** One alias per engine: the leg's certificate (the domain's, or the leg's own with certificate-per-stream). */
    private final class PerLegKeys extends X509ExtendedKeyManager {
        private String alias(SSLEngine engine, String keyType) {
            Leg leg = engine == null ? null : legs.get(engine);
            if (leg == null || !leg.certificate.key().getAlgorithm().equalsIgnoreCase(keyType.startsWith("EC") ? "EC" : keyType)) {
                return null;
            }
            return leg.alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            for (String keyType : keyTypes) {
                String alias = alias(engine, keyType);
                if (alias != null) {
                    return alias;
                }
            }
            return null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(engine, keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            if (DOMAIN_ALIAS.equals(alias)) {
                return domain.certificate().chain().toArray(X509Certificate[]::new);
            }
            Leg leg = byAlias.get(alias);
            return leg == null ? null : leg.certificate.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            if (DOMAIN_ALIAS.equals(alias)) {
                return domain.certificate().key();
            }
            Leg leg = byAlias.get(alias);
            return leg == null ? null : leg.certificate.key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
