package org.mediasec.bearer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * One certificate's key manager (UE, KMS) on both providers: a mutually authenticated handshake in which each side
 * presents exactly its certificate, with the key object handed over as it is (no PKCS12 round trip).
 */
class CertificateKeysTest {

    private static final SelfSignedCertificate SERVER = SelfSignedCertificate.generate("server", Duration.ofDays(1));
    private static final SelfSignedCertificate CLIENT = SelfSignedCertificate.generate("client", Duration.ofDays(1));

    @ParameterizedTest(name = "{0} server, {1}")
    @CsvSource({"JDK, TLSv1.3", "JDK, TLSv1.2", "OPENSSL, TLSv1.3", "OPENSSL, TLSv1.2"})
    void eachSidePresentsItsCertificateInAMutualHandshake(String provider, String protocol) throws Exception {
        SSLEngine server = switch (provider) {
            case "JDK" -> {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[] {new CertificateKeys(SERVER)}, new TrustManager[] {new AnyCertificate()}, null);
                SSLEngine engine = context.createSSLEngine();
                engine.setUseClientMode(false);
                engine.setNeedClientAuth(true);
                yield engine;
            }
            default -> {
                TlsProvider.OPENSSL.requireAvailable();
                SslContext context = SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(new CertificateKeys(SERVER).factory(), 1))
                        .sslProvider(SslProvider.OPENSSL).trustManager(new AnyCertificate()).clientAuth(ClientAuth.REQUIRE).build();
                yield context.newEngine(ByteBufAllocator.DEFAULT);
            }
        };
        server.setEnabledProtocols(new String[] {protocol});
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(new KeyManager[] {new CertificateKeys(CLIENT)}, new TrustManager[] {new AnyCertificate()}, null);
        SSLEngine client = clientContext.createSSLEngine("server", 5061);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});

        try {
            handshake(client, server);

            assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(certificate(client.getSession().getPeerCertificates())).isEqualTo(SERVER.certificate());
            assertThat(certificate(server.getSession().getPeerCertificates())).isEqualTo(CLIENT.certificate());
        } finally {
            if (server instanceof ReferenceCounted engine) {
                engine.release();
            }
        }
    }

    @Test
    void theKeyIsOfferedOnlyForItsOwnKeyType() throws Exception {
        CertificateKeys keys = new CertificateKeys(SERVER); // an EC key
        assertThat(keys.chooseEngineServerAlias("EC", null, null)).isNotNull();
        assertThat(keys.chooseEngineServerAlias("EC_RSA", null, null)).isNotNull(); // OpenSSL's TLS 1.2 form
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isNull();
        assertThat(keys.chooseClientAlias(new String[] {"RSA", "RSASSA-PSS"}, null, null)).isNull();
        String alias = keys.chooseClientAlias(new String[] {"RSA", "EC"}, null, null);
        assertThat(keys.getPrivateKey(alias)).isSameAs(SERVER.key());
        assertThat(keys.getCertificateChain(alias)).containsExactly(SERVER.certificate());
        assertThat(keys.getPrivateKey("other")).isNull();
        assertThat(keys.getCertificateChain("other")).isNull();

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        CertificateKeys rsaKeys = new CertificateKeys(rsa.generateKeyPair().getPrivate(), new X509Certificate[] {SERVER.certificate()});
        assertThat(rsaKeys.chooseEngineServerAlias("RSA", null, null)).isNotNull();
        assertThat(rsaKeys.chooseEngineServerAlias("EC", null, null)).isNull();
        assertThatThrownBy(() -> new CertificateKeys(SERVER.key(), new X509Certificate[0])).isInstanceOf(IllegalArgumentException.class);
    }

    private static X509Certificate certificate(Certificate[] chain) {
        assertThat(chain).hasSize(1);
        return (X509Certificate) chain[0];
    }

    /** Drives two engines to the end of their handshake through memory, as two sockets would. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer sink = ByteBuffer.allocate(1 << 17);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100; step++) {
            if (done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
            advance(client, toServer, toClient, sink);
            advance(server, toClient, toServer, sink);
        }
        throw new AssertionError("the handshake did not finish: client " + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void advance(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer sink) throws SSLException {
        in.flip();
        // unwrap at least once, input or not: OpenSSL resumes its handshake after a delegated task only when called
        boolean resumed;
        do {
            sink.clear();
            int consumed = engine.unwrap(in, sink).bytesConsumed();
            resumed = runTasks(engine);
            if (consumed == 0 && !resumed) {
                break;
            }
        } while (in.hasRemaining() || resumed);
        in.compact();
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            engine.wrap(ByteBuffer.allocate(0), out);
            runTasks(engine);
        }
    }

    private static boolean runTasks(SSLEngine engine) {
        boolean ran = false;
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
            ran = true;
        }
        return ran;
    }

    private static final class AnyCertificate implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
