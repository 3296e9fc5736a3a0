package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.testsupport.WireTest;

/** TCP↔TCP relays over real sockets on 127.0.0.1: data, half-close, backpressure, early data, TCP-9, release. */
@org.junit.jupiter.api.Timeout(120)
class RelayTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(LOOPBACK, 0);
    static final Optional<InetSocketAddress> FROM_LOOPBACK = Optional.of(new InetSocketAddress(LOOPBACK, 0));
    /** Threads for peers that block on their sockets (the common pool may have a single thread on a small machine). */
    static final ExecutorService PEERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

    private BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    final List<BearerEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        plane.close();
    }

    private RelayPair open(LegSpec a, LegSpec b) throws Exception {
        return plane.open(a, b, events::add).get(5, TimeUnit.SECONDS);
    }

    @Test
    @Tag("GW-3")
    @Tag("GW-5")
    @Tag("TCP-1")
    @Tag("TCP-2")
    @Tag("TCP-8")
    @WireTest
    void relaysBothWaysThenAFinClosesBothLegsAndTheCountsRemain() throws Exception {
        long size = 20 << 20;
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket coreSide = core.accept()) {
                ue.setSoTimeout(30_000);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2);
                CompletableFuture<String> atCore = digestAsync(coreSide.getInputStream());
                CompletableFuture<String> atUe = digestAsync(new LimitedInput(ue.getInputStream(), size));
                CompletableFuture<String> sentByCore = CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(coreSide.getOutputStream(), size, 2);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, PEERS);
                String sentByUe = send(ue.getOutputStream(), size, 1); // both ways at once
                assertThat(atUe.get(30, TimeUnit.SECONDS)).isEqualTo(sentByCore.get(30, TimeUnit.SECONDS));
                ue.shutdownOutput(); // FIN from the UE once it has everything: duplex close (TCP-8)

                assertThat(atCore.get(30, TimeUnit.SECONDS)).isEqualTo(sentByUe); // the core saw the FIN after all the bytes
                assertThat(ue.getInputStream().read()).as("our FIN to the UE").isEqualTo(-1);
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
            assertThat(released.side()).isEqualTo(Side.A);
            // read after the release, from another thread: what Subtract reports (nt/or, nt/os)
            assertThat(pair.bytesReceived(Side.A)).isEqualTo(size);
            assertThat(pair.bytesReceived(Side.B)).isEqualTo(size);
            assertThat(events).filteredOn(BearerEvent.TcpEstablished.class::isInstance).hasSize(2);
            assertThat(plane.openPairs()).isZero();
        }
    }

    @Test
    @Tag("TCP-8")
    @WireTest
    void aHeldLegKeepsWhatItReadAndItsFinUntilItFlowsThenClosesBothLegs() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket coreSide = core.accept()) {
                ue.setSoTimeout(10_000);
                coreSide.setSoTimeout(10_000);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2);
                pair.setFlow(Side.A, false); // on hold: what the UE sends is not relayed
                pair.heldBytes().get(5, TimeUnit.SECONDS); // a task on the pair's loop after setFlow's: the hold is in place
                CompletableFuture<String> atCore = digestAsync(coreSide.getInputStream());
                String sent = send(ue.getOutputStream(), 100_000, 5);
                ue.shutdownOutput();
                await().atMost(Duration.ofSeconds(5)).until(() -> pair.bytesReceived(Side.A) == 100_000);
                assertThat(atCore).as("nothing reaches the core while held").isNotDone();
                assertThat(pair.released()).isNotDone();

                pair.setFlow(Side.A, true);
                assertThat(atCore.get(10, TimeUnit.SECONDS)).isEqualTo(sent); // the bytes, then the FIN
                assertThat(ue.getInputStream().read()).as("our FIN to the UE").isEqualTo(-1);
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.side()).isEqualTo(Side.A);
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
        }
    }

    @Test
    @Tag("TCP-9")
    @WireTest
    void aPassiveLegAcceptsOnlyTheExpectedPeerAndOnlyOnce() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(LegSpec.passive(ANY_PORT, Optional.empty()), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            int port = pair.localAddress(Side.A).getPort();
            assertRefused(port); // the remote is not known yet
            pair.expectRemote(Side.A, new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0)).get(5, TimeUnit.SECONDS);
            assertRefused(port); // not from the expected address
            assertThat(plane.refusedConnections()).isEqualTo(2);
            assertThat(events).filteredOn(BearerEvent.ConnectionRefused.class::isInstance).hasSize(2);

            pair.expectRemote(Side.A, new InetSocketAddress(LOOPBACK, 0)).get(5, TimeUnit.SECONDS);
            try (Socket ue = new Socket(LOOPBACK, port); Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(5000);
                ue.getOutputStream().write("hello".getBytes());
                assertThat(coreSide.getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
                // a second connection to the leg is not accepted: the leg listens no more
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket(LOOPBACK, port).close()).isInstanceOf(IOException.class);
            }
            assertThat(OnlyRelease.of(pair, events).reason()).isEqualTo(ReleaseReason.PEER_CLOSED); // the peers' FINs
        }
    }

    private static void assertRefused(int port) throws Exception {
        try (Socket socket = new Socket(LOOPBACK, port)) {
            socket.setSoTimeout(3000);
            try {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (IOException reset) {
                // refused with a reset: as intended
            }
        }
    }

    @Test
    @Tag("TLS-13")
    @WireTest
    void earlyBytesAreHeldUntilTheOtherLegIsUpThenRelayed() throws Exception {
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.passive(ANY_PORT, FROM_LOOPBACK));
        try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort())) {
            byte[] early = new byte[10_000];
            new Random(3).nextBytes(early);
            ue.getOutputStream().write(early);
            await().atMost(Duration.ofSeconds(2)).until(() -> pair.bytesReceived(Side.A) == early.length);
            try (Socket core = new Socket(LOOPBACK, pair.localAddress(Side.B).getPort())) {
                core.setSoTimeout(5000);
                assertThat(core.getInputStream().readNBytes(early.length)).isEqualTo(early);
            }
        }
    }

    @Test
    @Tag("TLS-13")
    @WireTest
    void tooMuchEarlyDataReleasesThePairAndNothingIsRelayed() throws Exception {
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.passive(ANY_PORT, FROM_LOOPBACK));
        int coreport = pair.localAddress(Side.B).getPort();
        try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort())) {
            try {
                ue.getOutputStream().write(new byte[100_000]);
            } catch (IOException closedMeanwhile) {
                // the pair may be released while we write
            }
            BearerEvent.Released released = pair.released().get(5, TimeUnit.SECONDS);
            assertThat(released.reason()).isEqualTo(ReleaseReason.EARLY_DATA_OVERFLOW);
            assertThat(released.side()).isEqualTo(Side.A);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket(LOOPBACK, coreport).close()).isInstanceOf(IOException.class);
    }

    @Test
    @Tag("GW-8")
    @WireTest
    void aReaderThatStallsSlowsTheSenderAndNothingIsLost() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            core.setReceiveBufferSize(64 * 1024);
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket coreSide = core.accept()) {
                AtomicLong written = new AtomicLong();
                long total = 200L << 20;
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = ue.getOutputStream();
                        Random random = new Random(7);
                        byte[] chunk = new byte[64 * 1024];
                        for (long done = 0; done < total; done += chunk.length) {
                            random.nextBytes(chunk);
                            sent.update(chunk);
                            out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                        ue.shutdownOutput();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, PEERS);
                // the core reads nothing for 10 s: the sender is held back, our memory stays bounded. Measured: what
                // the pair holds (queued on its legs), and what the allocator its channels take buffers from has out
                ByteBufAllocatorMetric allocated = ((ByteBufAllocatorMetricProvider) pair.allocator(Side.B).orElseThrow()).metric();
                long maxHeld = 0;
                long maxAllocated = 0;
                long stallEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < stallEnds) {
                    maxHeld = Math.max(maxHeld, pair.heldBytes().get(5, TimeUnit.SECONDS));
                    maxAllocated = Math.max(maxAllocated, allocated.usedDirectMemory() + allocated.usedHeapMemory());
                    Thread.sleep(50);
                }
                // GW-8: at most the high-water mark plus what one read brings, on the core's leg
                assertThat(maxHeld).as("bytes the pair held during the stall").isPositive().isLessThan(2L * BearerConfig.DEFAULT.pairBufferBytes());
                assertThat(maxAllocated).as("memory the channels' allocator had out during the stall").isPositive().isLessThan(16L << 20);
                long stalledAt = written.get();
                assertThat(stalledAt).as("bytes the UE could write while the core read nothing").isLessThan(32L << 20);
                assertThat(sender).isNotDone();

                // reading resumes: everything arrives, in order
                String received = digest(coreSide.getInputStream());
                sender.get(30, TimeUnit.SECONDS);
                assertThat(received).isEqualTo(HexFormat.of().formatHex(sent.digest()));
            }
        }
    }

    @Test
    @Tag("TCP-8")
    @WireTest
    void aResetReleasesBothLegs() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort());
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(5000);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2);
                ue.setSoLinger(true, 0);
                ue.close(); // RST
                assertThat(coreSide.getInputStream().read()).isEqualTo(-1);
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.reason()).isEqualTo(ReleaseReason.RESET);
            assertThat(released.side()).isEqualTo(Side.A);
        }
    }

    @Test
    void anExplicitReleaseClosesBothSidesAndReportsOnce() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket coreSide = core.accept()) {
                ue.setSoTimeout(5000);
                coreSide.setSoTimeout(5000);
                await().atMost(Duration.ofSeconds(2)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2);
                ue.getOutputStream().write(new byte[1000]);
                coreSide.getOutputStream().write(new byte[300]);
                assertThat(coreSide.getInputStream().readNBytes(1000)).hasSize(1000);
                assertThat(ue.getInputStream().readNBytes(300)).hasSize(300);
                pair.release("Subtract");
                pair.release("Subtract again");
                assertThat(ue.getInputStream().read()).isEqualTo(-1);
                assertThat(coreSide.getInputStream().read()).isEqualTo(-1);
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.reason()).isEqualTo(ReleaseReason.RELEASED);
            // the octets relayed stay readable after the release, for the Subtract's statistics
            assertThat(pair.bytesReceived(Side.A)).isEqualTo(1000);
            assertThat(pair.bytesReceived(Side.B)).isEqualTo(300);
        }
    }

    @Test
    void anIdlePairIsReleased() throws Exception {
        plane.close();
        plane = new BearerPlane(BearerConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(300)));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket coreSide = core.accept()) {
                assertThat(pair.released().get(5, TimeUnit.SECONDS).reason()).isEqualTo(ReleaseReason.IDLE_TIMEOUT);
            }
        }
    }

    @Test
    @Tag("TCP-2")
    @WireTest
    void anActiveLegThatCannotConnectReleasesThePair() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket gone = new ServerSocket(0, 1, LOOPBACK)) {
            nobody = (InetSocketAddress) gone.getLocalSocketAddress();
        }
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), LegSpec.active(ANY_PORT, nobody));
        BearerEvent.Released released = pair.released().get(5, TimeUnit.SECONDS);
        assertThat(released.reason()).isEqualTo(ReleaseReason.CONNECT_FAILED);
        assertThat(released.side()).isEqualTo(Side.B);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Sends {@code bytes} pseudo-random bytes; returns their SHA-256. */
    static String send(OutputStream out, long bytes, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        for (long done = 0; done < bytes; done += chunk.length) {
            int length = (int) Math.min(chunk.length, bytes - done);
            random.nextBytes(chunk);
            digest.update(chunk, 0, length);
            out.write(chunk, 0, length);
        }
        out.flush();
        return HexFormat.of().formatHex(digest.digest());
    }

    static String digest(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int read; (read = in.read(buffer)) != -1; ) {
            digest.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static CompletableFuture<String> digestAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return digest(in);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, PEERS);
    }
}
