package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;

/**
 * Contexts run in parallel (docs/architecture.md, "The concurrency rule of the gateway"): many callers add,
 * audit, modify and subtract contexts at once while some of their bearers carry bytes and are closed by the UE,
 * so that bearer releases race the commands. Every context must end as it began — its own terminations, its own
 * statistics, nothing of another's — and nothing may be left: no context, port or pair. {@code -Dmediasec.stress=true}
 * (the CI's stress run) multiplies the calls.
 */
@Timeout(300)
class GatewayConcurrencyTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CALLERS = 8;
    private static final int CALLS = Boolean.getBoolean("mediasec.stress") ? 250 : 40;
    private static final byte[] PAYLOAD = "MSRP c SEND\r\nTo-Path: x\r\n-------c$\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withThreads(4));
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private MediaGateway gateway;
    private ServerSocket core;
    private final ExecutorService echo = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        plane.close();
        echo.shutdownNow();
        if (core != null) {
            core.close();
        }
    }

    private Transaction.TransactionReply send(long transaction, String actions) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " {\n" + actions + "\n}\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        return gateway.onTransactionRequest(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String addUe() {
        return """
                  Add = ip/$ { Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message 9 TCP/MSRP *
                a=setup:active
                      } } },
                    Events = 7 { tcpbcc/fail }
                  }""";
    }

    private String addCore() {
        return """
                  Add = ip/$ { Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message %d TCP/MSRP *
                a=setup:passive
                      } } }
                  }""".formatted(core.getLocalPort());
    }

    /** The core side: every connection gets back what it sends, until it closes. */
    private void serveCore() {
        echo.submit(() -> {
            while (!core.isClosed()) {
                Socket connection = core.accept();
                echo.submit(() -> {
                    try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                        in.transferTo(out);
                    }
                    return null;
                });
            }
            return null;
        });
    }

    private static int port(CommandReply reply) {
        String sdp = ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    /** One caller's calls; returns the termination IDs it was given. */
    private List<TerminationId> calls(int caller, Set<Long> contextsSeen) throws Exception {
        List<TerminationId> mine = new ArrayList<>();
        for (int call = 0; call < CALLS; call++) {
            long base = (long) caller * 100_000 + call * 10L;
            ActionReply added = send(base + 1, "Context = $ {\n" + addUe() + ",\n" + addCore() + "\n}").actions().get(0);
            assertThat(added.error()).as("caller %d call %d", caller, call).isEmpty();
            long context = ((ContextId.Specific) added.contextId()).value();
            assertThat(contextsSeen.add(context)).as("context %d handed out twice at once", context).isTrue();
            List<TerminationId> terminations = added.replies().stream().map(CommandReply::terminationId).toList();
            mine.addAll(terminations);
            CommandReply audit = send(base + 2, "Context = " + context + " { AuditValue = * }").actions().get(0).replies().get(0);
            assertThat(((CommandReply.ContextTerminationAudit) audit).terminationIds()).containsExactlyElementsOf(terminations);
            boolean carries = call % 3 == 0;
            if (carries) {
                // the UE connects, its bytes come back from the core, then it closes: the bearer releases by itself,
                // racing the Modify and Subtract below
                try (Socket ue = new Socket(LOOPBACK, port(added.replies().get(0)))) {
                    ue.setSoTimeout(10_000);
                    ue.getOutputStream().write(PAYLOAD);
                    assertThat(ue.getInputStream().readNBytes(PAYLOAD.length)).isEqualTo(PAYLOAD);
                }
            }
            ActionReply modified = send(base + 3, "Context = " + context + " { Modify = " + terminations.get(1) + " { Events = 8 { tcpbcc/fail } } }")
                    .actions().get(0);
            assertThat(modified.error()).isEmpty();
            ActionReply subtracted = send(base + 4, "Context = " + context + " { Subtract = * }").actions().get(0);
            assertThat(subtracted.error()).isEmpty();
            assertThat(subtracted.replies()).extracting(CommandReply::terminationId).containsExactlyElementsOf(terminations);
            long received = subtracted.replies().stream().mapToLong(reply -> octets((CommandReply.SubtractReply) reply, "or")).sum();
            // each leg received the payload once when the bearer carried it (kept after the UE's close), nothing otherwise
            assertThat(received).as("octets received in context %d (%s), %s", context, terminations, subtracted).isEqualTo(carries ? 2L * PAYLOAD.length : 0);
            contextsSeen.remove(context);
        }
        return mine;
    }

    private static long octets(CommandReply.SubtractReply reply, String name) {
        return reply.descriptors().stream().filter(d -> d instanceof org.mediasec.h248.message.Descriptor.StatisticsDescriptor)
                .flatMap(d -> ((org.mediasec.h248.message.Descriptor.StatisticsDescriptor) d).statistics().stream())
                .filter(s -> s.name().itemName().equals(name))
                .mapToLong(s -> Long.parseLong(((org.mediasec.h248.message.PropertyValue.Single) s.value().orElseThrow()).value()))
                .findFirst().orElseThrow();
    }

    @Test
    void contextsWorkedOnFromManyThreadsNeverMixAndLeaveNothingBehind() throws Exception {
        core = new ServerSocket(0, 512, LOOPBACK);
        serveCore();
        int first = 12000 + (int) (ProcessHandle.current().pid() % 300) * 20;
        gateway = new MediaGateway(new GatewayConfig(new ImsAgwProfile(), List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 3999)),
                Map.of(), "access", 1000), plane, (context, termination, events) -> notifies.add(context + " " + termination + " " + events));
        Set<Long> contextsSeen = ConcurrentHashMap.newKeySet();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<List<TerminationId>>> results = new ArrayList<>();
        for (int caller = 0; caller < CALLERS; caller++) {
            int id = caller;
            results.add(callers.submit(() -> calls(id, contextsSeen)));
        }
        Set<TerminationId> all = new java.util.HashSet<>();
        for (Future<List<TerminationId>> result : results) {
            for (TerminationId termination : result.get(240, TimeUnit.SECONDS)) {
                assertThat(all.add(termination)).as("termination %s handed out twice", termination).isTrue();
            }
        }
        callers.shutdown();
        assertThat(all).hasSize(CALLERS * CALLS * 2);
        assertThat(gateway.contexts()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.portsInUse() == 0 && plane.openPairs() == 0);
        // a release the UE caused may be reported before the Subtract, never twice, never on a context it was not in
        Map<String, Long> perTermination = notifies.stream().collect(java.util.stream.Collectors.groupingBy(n -> n.split(" ")[1],
                java.util.stream.Collectors.counting()));
        assertThat(perTermination.values()).allMatch(count -> count == 1);
        assertThat(notifies).allSatisfy(n -> assertThat(n).contains("tcpbcc").contains("fail"));
    }
}
