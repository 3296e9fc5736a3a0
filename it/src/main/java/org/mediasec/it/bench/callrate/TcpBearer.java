package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The bearer part of a call through the gateway: a UE and a core endpoint, real TCP clients, connect to the two
 * ports the gateway listens on (both legs passive: the UE connects out, TCP-7, and the core answered
 * a=setup:active), and each sends {@code bytes} to the other through the relay, checked byte for byte. The
 * connections stay open until the caller closes them after its Subtract, as a call's media lasts until its BYE (closed
 * first, they would make the gateway report a TCP failure). Blocking sockets on virtual threads; each exchange is its
 * own thread, so there is no shared state.
 */
final class TcpBearer {

    /** A bearer that does not move its bytes within this is a failed call, not a slow one. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final int bytes;
    private final ExecutorService threads;

    TcpBearer(int bytes, ExecutorService threads) {
        this.bytes = bytes;
        this.threads = threads;
    }

    /** The UE's and the core's connections of one call. */
    record Connections(Socket ue, Socket core) implements AutoCloseable {
        @Override
        public void close() {
            try (ue; core) {
                // both closed, the second even if the first fails
            } catch (IOException ignored) {
                // a socket that cannot close cleanly after its call is of no interest to the figures
            }
        }
    }

    /**
     * Connects to both ports on 127.0.0.1 and moves the bytes both ways; completes with the open connections, or
     * fails with a {@link CallFailure} "bearer: …" (the connections closed).
     */
    CompletableFuture<Connections> exchange(int accessPort, int corePort) {
        return CompletableFuture.supplyAsync(() -> {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Connections connections = new Connections(new Socket(), new Socket());
            Socket ue = connections.ue();
            Socket core = connections.core();
            try {
                ue.connect(new InetSocketAddress(loopback, accessPort), (int) TIMEOUT.toMillis());
                core.connect(new InetSocketAddress(loopback, corePort), (int) TIMEOUT.toMillis());
                ue.setSoTimeout((int) TIMEOUT.toMillis());
                core.setSoTimeout((int) TIMEOUT.toMillis());
                byte[] towardsCore = Payload.of(bytes, accessPort);
                byte[] towardsUe = Payload.of(bytes, corePort);
                ue.getOutputStream().write(towardsCore);
                expect(core.getInputStream(), towardsCore, "UE to core");
                core.getOutputStream().write(towardsUe);
                expect(ue.getInputStream(), towardsUe, "core to UE");
                return connections;
            } catch (IOException | RuntimeException e) {
                connections.close();
                throw e instanceof CallFailure failure ? failure : new CallFailure("bearer: " + e.getClass().getSimpleName(), e.getMessage(), e);
            }
        }, threads);
    }

    private static void expect(InputStream in, byte[] expected, String direction) throws IOException {
        byte[] got = in.readNBytes(expected.length);
        if (got.length != expected.length) {
            throw new CallFailure("bearer: short read", direction + ": " + got.length + " of " + expected.length + " bytes");
        }
        if (!Arrays.equals(got, expected)) {
            throw new CallFailure("bearer: bytes changed", direction);
        }
    }
}
