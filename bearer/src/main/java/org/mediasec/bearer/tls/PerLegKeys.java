package org.mediasec.bearer.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of a domain's engines: one alias per engine, the leg's certificate (the domain's, shared under
 * {@link #DOMAIN_ALIAS} so that OpenSSL can cache its key material, or the leg's own with certificate-per-stream).
 * Both providers call it with the engine whose handshake asks. Thread rule: stateless; the lookups are thread-safe.
 */
final class PerLegKeys extends X509ExtendedKeyManager {

    /** The key manager alias of the domain's certificate, shared by its legs. */
    static final String DOMAIN_ALIAS = "domain";

    private final SelfSignedCertificate domainCertificate;
    private final Function<SSLEngine, TlsEngines.Leg> byEngine;
    private final Function<String, TlsEngines.Leg> byAlias;

    PerLegKeys(SelfSignedCertificate domainCertificate, Function<SSLEngine, TlsEngines.Leg> byEngine, Function<String, TlsEngines.Leg> byAlias) {
        this.domainCertificate = domainCertificate;
        this.byEngine = byEngine;
        this.byAlias = byAlias;
    }

    /** A KeyManagerFactory around this key manager (what Netty's OpenSSL key material cache wraps). */
    KeyManagerFactory factory() {
        return CertificateKeys.factory(this);
    }

    private String alias(SSLEngine engine, String keyType) {
        TlsEngines.Leg leg = engine == null ? null : byEngine.apply(engine);
        if (leg == null || !CertificateKeys.serves(leg.certificate.key(), keyType)) {
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
            return domainCertificate.chain().toArray(X509Certificate[]::new);
        }
        TlsEngines.Leg leg = byAlias.apply(alias);
        return leg == null ? null : leg.certificate.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (DOMAIN_ALIAS.equals(alias)) {
            return domainCertificate.key();
        }
        TlsEngines.Leg leg = byAlias.apply(alias);
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
