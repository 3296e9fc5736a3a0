package org.mediasec.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpException;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpStreamDecoder;

/**
 * A UE's BFCP client over TLS-PSK (E2E-5: empty identity, PSK suites only), on Bouncy Castle's blocking TLS API:
 * an implementation independent of the gateway's non-blocking one. {@code psk} null: plain TCP.
 */
final class PskBfcpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final TlsClientProtocol tls;
    private final BfcpStreamDecoder decoder = new BfcpStreamDecoder(65536);
    private final Deque<BfcpMessage> received = new ArrayDeque<>();

    PskBfcpClient(InetSocketAddress server, byte[] psk) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(10_000);
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

    void send(BfcpMessage message) throws IOException {
        out.write(BfcpEncoder.encode(message));
        out.flush();
    }

    /** The next message from the floor control server (waits up to the socket timeout). */
    BfcpMessage receive() throws IOException, BfcpException {
        byte[] buffer = new byte[4096];
        while (received.isEmpty()) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the server closed the stream");
            }
            decoder.decode(buffer, 0, n, new BfcpStreamDecoder.Listener() {
                @Override
                public void message(BfcpMessage message) {
                    received.add(message);
                }

                @Override
                public void refused(BfcpException refused) {
                    throw new AssertionError("the server sent a malformed message", refused);
                }
            });
        }
        return received.poll();
    }

    @Override
    public void close() throws IOException {
        if (tls != null) {
            tls.close();
        }
        socket.close();
    }
}
