package org.mediasec.bearer.tls.psk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;

/**
 * A blocking TLS-PSK connection held to {@link PskTlsProfile} (E2E-5), for endpoints that are not the gateway: the
 * UE simulator and tests. Client or server; the key is wiped once the handshake is over.
 */
public final class PskSocket implements AutoCloseable {

    private final Socket socket;
    private final TlsProtocol tls;
    private volatile String cipherSuite = "";

    private PskSocket(Socket socket, TlsProtocol tls) {
        this.socket = socket;
        this.tls = tls;
    }

    /** Connects to {@code server} and runs the handshake as TLS client. */
    public static PskSocket connect(InetSocketAddress server, byte[] psk, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(server, (int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return handshake(socket, true, psk, timeout);
    }

    /** Accepts one connection on {@code listener} and runs the handshake as TLS server. */
    public static PskSocket accept(ServerSocket listener, byte[] psk, Duration timeout) throws IOException {
        listener.setSoTimeout((int) timeout.toMillis());
        return handshake(listener.accept(), false, psk, timeout);
    }

    private static PskSocket handshake(Socket socket, boolean client, byte[] psk, Duration timeout) throws IOException {
        byte[] key = psk.clone();
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            if (client) {
                TlsClientProtocol tls = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
                PskSocket connection = new PskSocket(socket, tls);
                tls.connect(PskPeers.client(key, connection.events()));
                return connection;
            }
            TlsServerProtocol tls = new TlsServerProtocol(socket.getInputStream(), socket.getOutputStream());
            PskSocket connection = new PskSocket(socket, tls);
            tls.accept(PskPeers.server(key, connection.events()));
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        } finally {
            PskPeers.wipe(key);
        }
    }

    private PskPeers.Events events() {
        return new PskPeers.Events() {
            @Override
            public void handshakeComplete(ProtocolVersion version, int suite) {
                cipherSuite = PskTlsProfile.name(suite);
            }

            @Override
            public void alertReceived(short level, short description) {
                // the blocking API reports it as an exception or end of stream
            }
        };
    }

    public InputStream in() {
        return tls.getInputStream();
    }

    public OutputStream out() {
        return tls.getOutputStream();
    }

    /** The negotiated suite, e.g. TLS_PSK_WITH_AES_128_GCM_SHA256. */
    public String cipherSuite() {
        return cipherSuite;
    }

    public void setTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** close_notify, then the socket. */
    @Override
    public void close() throws IOException {
        try {
            tls.close();
        } finally {
            socket.close();
        }
    }
}
