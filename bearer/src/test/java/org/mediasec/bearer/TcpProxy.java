package org.mediasec.bearer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy for one connection, between a peer program and a leg, for what no peer program does on demand: flip a
 * bit in the next bytes the leg sends (inside a TLS record: the peer then fails to decrypt it and sends a fatal
 * alert), or reset the connection to the leg (RST).
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final CompletableFuture<Socket> toLeg = new CompletableFuture<>();
    private final AtomicBoolean corruptNext = new AtomicBoolean();
    private volatile Socket toPeer;

    private TcpProxy(ServerSocket listener, InetSocketAddress leg) {
        this.listener = listener;
        RelayTest.PEERS.execute(() -> {
            try {
                Socket peer = listener.accept();
                Socket legSide = new Socket(leg.getAddress(), leg.getPort());
                toPeer = peer;
                toLeg.complete(legSide);
                RelayTest.PEERS.execute(() -> pump(peer, legSide, false));
                pump(legSide, peer, true);
            } catch (IOException e) {
                toLeg.completeExceptionally(e);
            }
        });
    }

    static TcpProxy to(InetSocketAddress leg) throws IOException {
        return new TcpProxy(new ServerSocket(0, 1, RelayTest.LOOPBACK), leg);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next bytes from the leg reach the peer with their last bit flipped (the record's authentication tag). */
    void corruptNextFromLeg() {
        corruptNext.set(true);
    }

    /** Resets the connection to the leg: an RST, no FIN. */
    void resetLeg() throws Exception {
        Socket legSide = toLeg.get(10, TimeUnit.SECONDS);
        legSide.setSoLinger(true, 0);
        legSide.close();
    }

    private void pump(Socket from, Socket to, boolean fromLeg) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (fromLeg && corruptNext.getAndSet(false)) {
                    buffer[n - 1] ^= 1;
                }
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException closed) {
            // either side went away: so does the other
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        Socket peer = toPeer;
        if (peer != null) {
            peer.close();
        }
        if (toLeg.isDone() && !toLeg.isCompletedExceptionally()) {
            toLeg.join().close();
        }
    }
}
