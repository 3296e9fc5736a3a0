package org.mediasec.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy between one client and the gateway that can flip a bit of the next bytes it passes towards the client:
 * the client's TLS stack then fails to decrypt that record (bad_record_mac) and sends the gateway a fatal alert,
 * encrypted as a real peer's is (RFC 8446 6.2; no test can write one without the session keys). Otherwise it passes
 * bytes both ways unchanged, an end of stream on as a FIN and a reset on as a reset. Thread rule: two virtual
 * threads pump; the flag and the latch are the only shared state.
 */
final class FaultProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicBoolean corruptNext = new AtomicBoolean();
    private final CountDownLatch gatewayEnded = new CountDownLatch(1);
    private volatile Socket client;
    private volatile Socket gateway;

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Listens on a loopback port for one client, whom it connects to {@code target}. */
    static FaultProxy to(InetSocketAddress target) throws IOException {
        FaultProxy proxy = new FaultProxy(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()), target);
        Thread.ofVirtual().name("fault-proxy-accept").start(proxy::accept);
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next bytes from the gateway reach the client with their last bit flipped. */
    void corruptNextTowardsClient() {
        corruptNext.set(true);
    }

    /** Whether the gateway ended its connection (FIN or reset) within {@code millis}. */
    boolean gatewayEnded(long millis) throws InterruptedException {
        return gatewayEnded.await(millis, TimeUnit.MILLISECONDS);
    }

    private void accept() {
        try {
            client = listener.accept();
            gateway = new Socket(target.getAddress(), target.getPort());
            Thread.ofVirtual().name("fault-proxy-up").start(() -> pump(client, gateway, false));
            pump(gateway, client, true);
        } catch (IOException e) {
            // closed before a client came
        }
    }

    private void pump(Socket from, Socket to, boolean towardsClient) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (towardsClient && corruptNext.getAndSet(false)) {
                    buffer[read - 1] ^= 1; // the last byte of a record is its AEAD tag's
                }
                out.write(buffer, 0, read);
            }
            to.shutdownOutput();
        } catch (IOException reset) {
            try {
                to.setSoLinger(true, 0);
                to.close();
            } catch (IOException alreadyClosed) {
                // nothing more to pass on
            }
        } finally {
            if (towardsClient) {
                gatewayEnded.countDown();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (listener) {
            for (Socket socket : new Socket[] {client, gateway}) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
