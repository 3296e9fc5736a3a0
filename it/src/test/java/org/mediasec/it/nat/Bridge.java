package org.mediasec.it.nat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A TCP (or TLS) endpoint inside one of a {@link NatTopology}'s namespaces that this JVM talks through: socat in the
 * namespace joins a Unix socket in the test's directory (file system, shared by every namespace) to the TCP or TLS
 * connection it makes or accepts there. The bytes are the test's; the addresses, ports and NAT are the namespace's.
 */
final class Bridge implements AutoCloseable {

    private static final ExecutorService READERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

    private final SocketChannel channel;

    private Bridge(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * An outgoing connection from {@code namespace}: socat opens {@code socatAddress} (e.g.
     * {@code TCP:10.2.0.2:31000}) when this bridge connects to it, which is when this method returns.
     */
    static Bridge connect(NatTopology network, String namespace, Path dir, String name, String socatAddress) throws IOException {
        Path socket = dir.resolve(name + ".sock");
        network.start(namespace, List.of("socat", "UNIX-LISTEN:" + socket + ",unlink-early", socatAddress), dir.resolve(name + ".socat.log"));
        // socat binds the path, then listens: a connect between the two is refused, so until one is accepted
        SocketChannel[] connected = new SocketChannel[1];
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            connected[0] = channel;
            return true;
        });
        return new Bridge(connected[0]);
    }

    /**
     * A listener in {@code namespace} ({@code socatListen}, e.g. {@code TCP-LISTEN:7000,bind=10.2.0.3,reuseaddr});
     * the connection it accepts arrives here.
     */
    static Listening listen(NatTopology network, String namespace, Path dir, String name, String socatListen) throws IOException {
        Path socket = dir.resolve(name + ".sock");
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        network.start(namespace, List.of("socat", socatListen, "UNIX-CONNECT:" + socket), dir.resolve(name + ".socat.log"));
        return new Listening(server);
    }

    /** A listener's side: the connection socat accepted in the namespace (one; an accept that timed out still waits for it). */
    static final class Listening implements AutoCloseable {
        private final ServerSocketChannel server;
        private final CompletableFuture<SocketChannel> accepted;

        Listening(ServerSocketChannel server) {
            this.server = server;
            this.accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, READERS);
        }

        Bridge accept(Duration within) throws Exception {
            return new Bridge(accepted.get(within.toMillis(), TimeUnit.MILLISECONDS));
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** The next {@code length} bytes, within {@code within}; fails when the connection ends first. */
    String read(int length, Duration within) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            ByteBuffer bytes = ByteBuffer.allocate(length);
            try {
                while (bytes.hasRemaining()) {
                    if (channel.read(bytes) < 0) {
                        throw new IllegalStateException("the connection ended after " + bytes.position() + " of " + length + " bytes");
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new String(bytes.array(), StandardCharsets.UTF_8);
        }, READERS).get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the connection ends (socat closes the Unix side once its TCP side is reset or closed) within {@code within}. */
    boolean ends(Duration within) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return channel.read(ByteBuffer.allocate(1)) < 0;
            } catch (IOException e) {
                return true;
            }
        }, READERS).get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
