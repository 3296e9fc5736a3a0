package org.mediasec.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A UE's connection to the MRFP over TLS-PSK (E2E-5: empty identity, PSK suites only), on Bouncy Castle's blocking
 * TLS API: an implementation independent of the gateway's non-blocking one. {@code psk} null: plain TCP.
 */
final class PskConnection implements AutoCloseable {

    private final Socket socket;
    private final TlsClientProtocol tls;
    final InputStream in;
    final OutputStream out;

    PskConnection(InetSocketAddress server, byte[] psk) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(20_000);
        if (psk == null) {
            tls = null;
            in = socket.getInputStream();
            out = socket.getOutputStream();
            return;
        }
        tls = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
        tls.connect(new PSKTlsClient(new BcTlsCrypto(new SecureRandom()), new BasicTlsPSKIdentity(new byte[0], psk)) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return new int[] {CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256};
            }
        });
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    synchronized void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (tls != null) {
            tls.close();
        }
        socket.close();
    }
}
