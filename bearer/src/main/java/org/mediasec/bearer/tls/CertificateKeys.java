package org.mediasec.bearer.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of an endpoint that presents one certificate: a UE, the KMS. It hands the
 * private key object over as it is, where the usual route (a PKCS12 {@link KeyStore} filled with
 * {@code setKeyEntry}, then {@link KeyManagerFactory#init}) encrypts the key with PBES2 and decrypts it again: two
 * PBKDF2 derivations of 10,000 HMAC-SHA256 rounds for every context made: together a sixth of the demo launcher's
 * CPU on its C1-only JVM (386 of 2,304 profiler samples, docs/performance.md). Both TLS providers take it: the JDK directly,
 * Netty's OpenSSL through {@link #factory()}.
 *
 * <p>The alias is offered for a key type that matches the key's algorithm ("EC" also stands for the TLS 1.2 forms
 * "EC_EC", "EC_RSA"); the issuers a peer names are not consulted, since these certificates are self-signed and
 * authenticated by the fingerprint in SDP or a pin, not by a CA (RFC 8122 5). Thread rule: immutable.
 */
public final class CertificateKeys extends X509ExtendedKeyManager {

    private static final String ALIAS = "certificate";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    public CertificateKeys(SelfSignedCertificate certificate) {
        this(certificate.key(), certificate.chain().toArray(X509Certificate[]::new));
    }

    public CertificateKeys(PrivateKey key, X509Certificate[] chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
        this.key = key;
        this.chain = chain.clone();
    }

    /** A KeyManagerFactory that hands out {@code manager} (what Netty's context builders take). */
    public static KeyManagerFactory factory(X509ExtendedKeyManager manager) {
        KeyManager[] managers = {manager};
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore store, char[] password) {}

            @Override
            protected void engineInit(ManagerFactoryParameters parameters) {}

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return managers;
            }
        }, null, "mediasec") {};
    }

    /** This key manager as a KeyManagerFactory. */
    public KeyManagerFactory factory() {
        return factory(this);
    }

    /** Whether the key can serve {@code keyType}: the JDK asks "EC", "RSA", "RSASSA-PSS", "EdDSA"; OpenSSL also "EC_EC", "EC_RSA". */
    static boolean serves(PrivateKey key, String keyType) {
        return keyType != null && key.getAlgorithm().equalsIgnoreCase(keyType.startsWith("EC") ? "EC" : keyType);
    }

    private String alias(String keyType) {
        return serves(key, keyType) ? ALIAS : null;
    }

    private String alias(String[] keyTypes) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (serves(key, keyType)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return alias(keyTypes);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return alias(keyTypes);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return serves(key, keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
