package org.mediasec.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpException;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpStreamDecoder;

/**
 * A UE's BFCP client on a {@link PskConnection} (TLS-PSK, or TCP when {@code psk} is null).
 */
final class PskBfcpClient implements AutoCloseable {

    private final PskConnection connection;
    private final BfcpStreamDecoder decoder = new BfcpStreamDecoder(65536);
    private final Deque<BfcpMessage> received = new ArrayDeque<>();

    PskBfcpClient(InetSocketAddress server, byte[] psk) throws IOException {
        connection = new PskConnection(server, psk);
    }

    void send(BfcpMessage message) throws IOException {
        connection.write(BfcpEncoder.encode(message));
    }

    /** The next message from the floor control server (waits up to the socket timeout). */
    BfcpMessage receive() throws IOException, BfcpException {
        byte[] buffer = new byte[4096];
        while (received.isEmpty()) {
            int n = connection.in.read(buffer);
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
        connection.close();
    }
}
