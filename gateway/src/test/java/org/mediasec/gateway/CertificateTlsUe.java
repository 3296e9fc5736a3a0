package org.mediasec.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.mediasec.bearer.tls.SelfSignedCertificate;

/**
 * A UE's TLS client with its own certificate on Bouncy Castle's blocking API (an implementation independent of the
 * gateway's JDK and BoringSSL engines), which can do what a well-behaved TLS library never does on request: send a
 * fatal alert in the middle of an established session (RFC 8446 6.2), or drop its TCP connection with a reset.
 */
final class CertificateTlsUe implements AutoCloseable {

    private final Socket socket;
    private final AlertingProtocol tls;

    /** Connects to {@code gateway} and completes the handshake, presenting {@code own} when asked (TLS-5: mutual authentication). */
    CertificateTlsUe(InetSocketAddress gateway, SelfSignedCertificate own, Duration timeout) throws IOException {
        socket = new Socket(gateway.getAddress(), gateway.getPort());
        socket.setSoTimeout((int) timeout.toMillis());
        tls = new AlertingProtocol(socket.getInputStream(), socket.getOutputStream());
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
        try {
            tls.connect(new DefaultTlsClient(crypto) {
                @Override
                public TlsAuthentication getAuthentication() {
                    return new TlsAuthentication() {
                        @Override
                        public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                            // the gateway's own certificate is not what these tests are about (TLS-3 is proven elsewhere)
                        }

                        @Override
                        public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                            try {
                                Certificate chain = new Certificate(request.getCertificateRequestContext(),
                                        new CertificateEntry[] {new CertificateEntry(crypto.createCertificate(own.certificate().getEncoded()), null)});
                                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, own.key(), chain,
                                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                            } catch (CertificateEncodingException e) {
                                throw new IOException(e);
                            }
                        }
                    };
                }
            });
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    InputStream in() {
        return tls.getInputStream();
    }

    void write(byte[] bytes) throws IOException {
        OutputStream out = tls.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /**
     * A fatal alert (RFC 8446 6.2) inside the established session, encrypted like any record of it. The TCP connection
     * stays open: whatever ends it afterwards is the gateway's doing.
     */
    void sendFatalAlert(short description) throws IOException {
        tls.fatal(description);
    }

    /** Reads the TCP connection below TLS until the gateway ends it: true for a FIN, false for a reset. */
    boolean awaitClosedByPeer() throws IOException {
        InputStream below = socket.getInputStream();
        try {
            while (below.read() >= 0) {
                // what the gateway still sends (its own alert or close_notify) is not read as TLS any more
            }
            return true;
        } catch (SocketException reset) {
            return false;
        }
    }

    /** Drops the TCP connection with a reset (SO_LINGER 0), without a TLS goodbye. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Bouncy Castle's client, with its protected "raise a fatal alert" opened to the test. */
    private static final class AlertingProtocol extends TlsClientProtocol {

        AlertingProtocol(InputStream in, OutputStream out) {
            super(in, out);
        }

        void fatal(short description) throws IOException {
            raiseAlertFatal(description, "sent on purpose by the test (" + AlertDescription.getText(description) + ")", null);
        }
    }
}
