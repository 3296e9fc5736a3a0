package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.client.CommandClient.ActionResult;
import org.mediasec.it.harness.MsrpStreamCommands;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.testsupport.WireTest;

/**
 * A peer that opens {@value #FLOOD} connections, half to a leg's reserved port (TCP-4 delayed establishment: the port
 * is bound but no connection is taken until the MGC's establish signal, not even from the expected address) and half,
 * from another address, to a passive leg's listening port (TCP-9: only the expected peer is taken). Each is
 * accepted and reset at once and counted; meanwhile the gateway answers H.248 within {@link #H248_BOUND}, takes the
 * legitimate core's connection, then on the establish signal the UE's, and relays between them; its open fds stay
 * within the flood's concurrency of the baseline and its heap after GC within {@link #HEAP_GROWTH_KIB} KiB. The
 * client side holds at most {@value #CONCURRENCY} connections at once: far from the 20,000 files a process may open here.
 */
@Timeout(300)
class ConnectionFloodTest {

    private static final int FLOOD = 10_000;
    private static final int CONCURRENCY = 64;
    /** Another loopback address than the peers' (127.0.0.1, the calls' Remote): a source the passive leg must refuse. */
    private static final String ATTACKER = "127.0.0.2";
    private static final Duration H248_BOUND = Duration.ofSeconds(2);
    private static final Duration H248_PACE = Duration.ofMillis(50);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    /** A refused connection is reset at once; one the gateway held this long was not refused. */
    private static final Duration REFUSAL = Duration.ofSeconds(5);
    /** As the soak's verdict: heap after GC within 8 MiB (SoakVerdict's floor). */
    private static final long HEAP_GROWTH_KIB = 8 * 1024;
    private static final String REFUSED = "mediasec_bearer_connections_refused_total";

    @TempDir
    static Path dir;
    private static FaultRig rig;
    private static long baselineFds;

    @BeforeAll
    static void startGateway() throws Exception {
        rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(8), "");
        try (Call warm = rig.call()) {
            FaultRig.exchange(warm, 4096, 1);
            rig.mgc.release(warm.opened().context());
        }
        rig.assertNothingHeld(Long.MAX_VALUE - SoakVerdict.FD_SLACK);
        baselineFds = rig.gateway.openFiles();
    }

    @AfterAll
    static void stopGateway() {
        rig.close();
    }

    /** What the flood's connections met: refused by the gateway (accepted, then reset or closed with nothing sent), or a closed port. */
    record Outcome(int refusedByGateway, int portClosed) {}

    @Test
    @Tag("TCP-4")
    @Tag("TCP-9")
    @WireTest
    void tenThousandConnectionsToAReservedAndAListeningPortAreRefusedWhileTheGatewayServesH248AndTheRealPeers() throws Exception {
        long heapBefore = rig.gateway.heapAfterGcKib();
        long rssBefore = rig.gateway.residentKib();
        double refusedBefore = rig.gateway.metric(REFUSED);
        // the access leg reserved (tcpbcc/delay), the core leg listening at once; both expect 127.0.0.1
        ActionResult added = rig.mgc.action(ContextId.CHOOSE, commands("""
                Context = $ {
                  Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive, tcpbcc/delay = ON },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:passive
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message 9 TCP/MSRP *
                a=setup:active
                      } } }, Events = 1 { tcpbcc/estab, tcpbcc/fail } },
                  Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:passive
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message 9 TCP/MSRP *
                a=setup:active
                      } } }, Events = 1 { tcpbcc/estab, tcpbcc/fail } }
                }"""));
        String access = added.replies().get(0).terminationId().toString();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetSocketAddress reserved = new InetSocketAddress(loopback, MsrpStreamCommands.localPort(added, 0));
        InetSocketAddress listening = new InetSocketAddress(loopback, MsrpStreamCommands.localPort(added, 1));

        LongAccumulator maxFds = new LongAccumulator(Math::max, baselineFds);
        LongAccumulator slowestH248 = new LongAccumulator(Math::max, 0);
        AtomicInteger h248During = new AtomicInteger();
        Socket core;
        long floodMillis;
        Outcome towardsReserved;
        Outcome towardsListening;
        try (ExecutorService flooders = Executors.newVirtualThreadPerTaskExecutor()) {
            // first the listening port, from another address; then the reserved port, even from the address the leg
            // expects, and the legitimate core connects to its listening port in the middle of that
            AtomicInteger attempts = new AtomicInteger();
            long floodStarted = System.nanoTime();
            CompletableFuture<Outcome> listeningFlood = CompletableFuture.supplyAsync(() -> flood(listening, inet(ATTACKER), FLOOD / 2, attempts),
                    flooders);
            CompletableFuture<Outcome> reservedFlood = listeningFlood.thenApplyAsync(done -> flood(reserved, loopback, FLOOD / 2, attempts), flooders);
            CompletableFuture<Socket> legitimateCore = CompletableFuture.supplyAsync(() -> {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> attempts.get() >= FLOOD * 3 / 4);
                return connect(listening);
            }, flooders);
            while (!reservedFlood.isDone()) {
                long started = System.nanoTime();
                rig.mgc.leftOver(); // AuditValue on Context = *
                slowestH248.accumulate(System.nanoTime() - started);
                h248During.incrementAndGet();
                maxFds.accumulate(rig.gateway.openFiles());
                Thread.sleep(H248_PACE.toMillis()); // a probe, not a load of its own
            }
            floodMillis = Duration.ofNanos(System.nanoTime() - floodStarted).toMillis();
            towardsListening = listeningFlood.join();
            towardsReserved = reservedFlood.join();
            core = legitimateCore.join();
        }
        try (Socket coreLeg = core) {
            // TCP-4: the establish signal; the UE, on the address the leg expects, is taken now
            rig.mgc.action(added.contextId(), commands(
                    "Context = " + ((ContextId.Specific) added.contextId()).value() + " { Modify = " + access + " { Signals { tcpbcc/estab } } }"));
            Socket ue = connect(reserved);
            try (Call call = new Call(new SoakMgc.Opened(SoakStream.TCP, added.contextId(), added.replies().get(0).terminationId(),
                    added.replies().get(1).terminationId(), reserved.getPort(), listening.getPort(), Optional.empty(), Optional.empty()), ue, coreLeg)) {
                FaultRig.exchange(call, 64 * 1024, 7);
                rig.mgc.release(call.opened().context());
            }
        }

        assertThat(towardsReserved.refusedByGateway()).as("every connection to the reserved port refused by the gateway (TCP-4)").isEqualTo(FLOOD / 2);
        assertThat(towardsListening.refusedByGateway()).as("every connection from another address refused by the listening leg (TCP-9)")
                .isEqualTo(FLOOD / 2);
        assertThat(rig.gateway.metric(REFUSED) - refusedBefore).as("each refusal counted, the peers' connections not")
                .isEqualTo(towardsReserved.refusedByGateway() + towardsListening.refusedByGateway());
        assertThat(h248During.get()).as("H.248 transactions answered during the flood").isPositive();
        assertThat(Duration.ofNanos(slowestH248.get())).as("the slowest of %d H.248 transactions during the flood", h248During.get())
                .isLessThan(H248_BOUND);
        assertThat(maxFds.get()).as("open fds during the flood (baseline %d)", baselineFds).isLessThanOrEqualTo(baselineFds + 2L * CONCURRENCY
                + SoakVerdict.FD_SLACK);
        rig.assertNothingHeld(baselineFds);
        assertThat(rig.mgc.leftOver()).isZero();
        long heapAfter = rig.gateway.heapAfterGcKib();
        System.out.printf("flood of %d connections in %d ms: slowest of %d H.248 transactions %d ms, fds %d -> max %d, heap after GC %d -> %d KiB,"
                + " RSS %d -> %d KiB%n", FLOOD, floodMillis, h248During.get(), Duration.ofNanos(slowestH248.get()).toMillis(), baselineFds, maxFds.get(),
                heapBefore, heapAfter, rssBefore, rig.gateway.residentKib());
        assertThat(heapAfter - heapBefore).as("heap after GC, %d KiB before, %d KiB after", heapBefore, heapAfter).isLessThan(HEAP_GROWTH_KIB);
    }

    /** {@code count} connections from {@code source} to {@code target}, {@value #CONCURRENCY} at a time; what each met. */
    private static Outcome flood(InetSocketAddress target, InetAddress source, int count, AtomicInteger attempts) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicLong held = new AtomicLong();
        java.util.Queue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int worker = 0; worker < CONCURRENCY; worker++) {
                workers.submit(() -> {
                    while (held.get() == 0 && next.getAndIncrement() < count) { // the first connection held ends the flood
                        attempts.incrementAndGet();
                        try (Socket socket = new Socket()) {
                            socket.bind(new InetSocketAddress(source, 0));
                            try {
                                socket.connect(target, (int) CONNECT.toMillis());
                            } catch (ConnectException portClosed) {
                                closed.incrementAndGet();
                                continue;
                            } catch (SocketException resetAtOnce) {
                                // accepted and reset before connect() returned: refused all the same
                                refused.incrementAndGet();
                                continue;
                            }
                            socket.setSoTimeout((int) REFUSAL.toMillis());
                            try {
                                if (socket.getInputStream().read() == -1) {
                                    refused.incrementAndGet();
                                } else {
                                    held.incrementAndGet();
                                }
                            } catch (SocketTimeoutException notRefused) {
                                held.incrementAndGet();
                            } catch (SocketException reset) {
                                refused.incrementAndGet();
                            }
                        } catch (IOException e) {
                            held.incrementAndGet();
                            problems.add(e.toString());
                        }
                    }
                    return null;
                });
            }
        }
        assertThat(held.get()).as("connections to %s that the gateway neither refused nor had closed: %s", target, problems.stream().distinct().limit(5).toList()).isZero();
        return new Outcome(refused.get(), closed.get());
    }

    private static Socket connect(InetSocketAddress target) {
        Socket socket = new Socket();
        try {
            socket.connect(target, (int) CONNECT.toMillis());
            socket.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
            return socket;
        } catch (IOException e) {
            throw new IllegalStateException("the legitimate peer could not connect to " + target, e);
        }
    }

    private static InetAddress inet(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** The commands of one action written as text (the body of a Transaction). */
    private static List<Command> commands(String action) throws Exception {
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(
                "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + action + "\n}\n").transactions().get(0);
        ActionRequest only = request.actions().get(0);
        return only.commands().stream().map(CommandRequest::command).toList();
    }
}
