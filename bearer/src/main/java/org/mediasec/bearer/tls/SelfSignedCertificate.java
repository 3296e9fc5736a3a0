package org.mediasec.bearer.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate and its private key: generated (self-signed ECDSA P-256, the e2ae norm: the peer is authenticated by
 * the fingerprint in SDP, not by a CA) or read from PEM files.
 */
public record SelfSignedCertificate(PrivateKey key, List<X509Certificate> chain) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public SelfSignedCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** A new self-signed ECDSA P-256 certificate for {@code commonName}, valid from an hour ago for {@code validity}. */
    public static SelfSignedCertificate generate(String commonName, Duration validity) {
        Instant now = Instant.now();
        return generate(commonName, now.minus(Duration.ofHours(1)), now.plus(validity));
    }

    /** A new self-signed ECDSA P-256 certificate valid from {@code notBefore} to {@code notAfter}. */
    public static SelfSignedCertificate generate(String commonName, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName.replace(",", "\\,"));
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new SelfSignedCertificate(pair.getPrivate(), List.of(new JcaX509CertificateConverter().getCertificate(holder)));
        } catch (java.security.GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 certificate", e);
        }
    }

    /** Reads a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, or SEC1/PKCS#1 key pair). */
    public static SelfSignedCertificate read(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain;
        try (var in = Files.newInputStream(certificateFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new IOException(certificateFile + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + ": no certificate in it");
        }
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key = switch (object) {
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null -> throw new IOException(keyFile + ": no PEM object in it");
                default -> throw new IOException(keyFile + ": not an unencrypted private key (" + object.getClass().getSimpleName() + ")");
            };
            return new SelfSignedCertificate(key, chain);
        }
    }

    /**
     * Writes the chain and the key (PKCS#8) as PEM, each created with mode 0600 and renamed into place (SEC-4: never
     * a moment with the umask's mode, never half a key); the key last, so that a key file never pairs with a
     * certificate it does not belong to for longer than the two renames.
     */
    public void write(Path certificateFile, Path keyFile) throws IOException {
        OwnerOnlyFiles.write(certificateFile, pem(chain.toArray()).getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(keyFile, pem(key).getBytes(StandardCharsets.US_ASCII));
    }

    private static String pem(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object instanceof PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
            }
        }
        return text.toString();
    }

    /** The certificate kept in {@code directory} (cert.pem, key.pem), generated and stored there on first use. */
    public static SelfSignedCertificate loadOrGenerate(Path directory, String commonName) throws IOException {
        Path certificate = directory.resolve("cert.pem");
        Path key = directory.resolve("key.pem");
        if (Files.exists(certificate) && Files.exists(key)) {
            return read(certificate, key);
        }
        Files.createDirectories(directory);
        SelfSignedCertificate generated = generate(commonName, Duration.ofDays(3650));
        generated.write(certificate, key);
        return generated;
    }
}
