package org.mediasec.it.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.UdpEndpoint;

/**
 * Load harness for the H.248 stack (run on demand, not in CI): our MGC sends Add requests (an MSRP stream with
 * Local SDP) to our MG over loopback, keeping a fixed window of transactions outstanding, and measures
 * transactions per second and latency percentiles; then the same with Erlang/OTP megaco on both sides (when
 * erlang-megaco is installed), for the ratio.
 *
 * <pre>./mvnw -q -pl it -am install -DskipTests -Dfuzz.skip=true && ./mvnw -q -pl it exec:exec@h248-load</pre>
 * Options: {@code --seconds N} (measured period, default 20), {@code --window N} (default 8: Erlang megaco over UDP stalls on its 7 s retransmission timer at 64).
 */
public final class H248LoadBench {

    private static final String ADD_REQUEST = """
            MEGACO/1 [127.0.0.1]:2945
            Transaction = 1 {
              Context = $ {
                Add = msrp/$ {
                  Media { Stream = 1 {
                    LocalControl { Mode = SendReceive },
                    Local {
            v=0
            o=- 0 0 IN IP4 127.0.0.1
            s=-
            c=IN IP4 $
            t=0 0
            m=message $ TCP/MSRP *
            a=accept-types:message/cpim text/plain
            a=path:msrp://127.0.0.1:$/s1;tcp
            a=setup:active
                    }
                  } }
                }
              }
            }
            """;

    record Result(String name, double transactionsPerSecond, long p50Micros, long p99Micros, long p999Micros, long failures) {
        @Override
        public String toString() {
            return String.format("%-24s %10.0f tx/s   p50 %6d µs   p99 %6d µs   p99.9 %6d µs   failures %d",
                    name, transactionsPerSecond, p50Micros, p99Micros, p999Micros, failures);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = intOption(args, "--seconds", 20);
        int window = intOption(args, "--window", 8);
        List<ActionRequest> add = ((Transaction.TransactionRequest) H248TextParser.parse(ADD_REQUEST).transactions().get(0)).actions();
        System.out.printf("H.248 Add+Reply over loopback, window %d, %d s measured after %d s warm-up, %d cores%n", window, seconds, 5,
                Runtime.getRuntime().availableProcessors());

        Result udp = runOurs("mediasec UDP", false, add, window, seconds);
        System.out.println(udp);
        Result tcp = runOurs("mediasec TCP", true, add, window, seconds);
        System.out.println(tcp);
        Optional<Result> megaco = runMegaco(window, seconds);
        megaco.ifPresentOrElse(m -> {
            System.out.println(m);
            System.out.printf("ratio mediasec UDP / megaco UDP: %.2f%n", udp.transactionsPerSecond() / m.transactionsPerSecond());
        }, () -> System.out.println("megaco: not measured (install erlang-base and erlang-megaco)"));
    }

    /** The MG answers every Add at once with a new context and termination, and a Local SDP. */
    private static RequestHandler mg() {
        AtomicLong contexts = new AtomicLong();
        return request -> {
            long context = contexts.incrementAndGet();
            Command.Add add = (Command.Add) request.actions().get(0).commands().get(0).command();
            Descriptor media = add.descriptors().get(0);
            return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(
                    ContextId.of(context), List.of(new CommandReply.AddReply(TerminationId.of("msrp/" + context), List.of(media)))))));
        };
    }

    private static Result runOurs(String name, boolean tcp, List<ActionRequest> add, int window, int seconds) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        RequestHandler mgc = request -> new CompletableFuture<>();
        AutoCloseable mgEndpoint;
        AutoCloseable mgcEndpoint;
        Function<List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> send;
        if (tcp) {
            TcpEndpoint mgSide = TcpEndpoint.listen(any, MessageId.ipv4("127.0.0.1", 2944), 1, TransactionTimers.DEFAULT, Duration.ofMinutes(5),
                    peer -> Optional.of(mg()));
            TcpEndpoint mgcSide = TcpEndpoint.connect(mgSide.localAddress(), MessageId.ipv4("127.0.0.1", 2945), 1, TransactionTimers.DEFAULT,
                    Duration.ofMinutes(5), mgc);
            send = actions -> mgcSide.request(mgSide.localAddress(), actions);
            mgEndpoint = mgSide;
            mgcEndpoint = mgcSide;
        } else {
            UdpEndpoint mgSide = UdpEndpoint.bind(any, MessageId.ipv4("127.0.0.1", 2944), 1, TransactionTimers.DEFAULT, peer -> Optional.of(mg()));
            UdpEndpoint mgcSide = UdpEndpoint.bind(any, MessageId.ipv4("127.0.0.1", 2945), 1, TransactionTimers.DEFAULT, peer -> Optional.of(mgc));
            send = actions -> mgcSide.request(mgSide.localAddress(), actions);
            mgEndpoint = mgSide;
            mgcEndpoint = mgcSide;
        }
        try (mgEndpoint; mgcEndpoint) {
            measure(send, add, window, 5, new long[1 << 22]); // warm-up
            long[] latencies = new long[1 << 24];
            return measure(send, add, window, seconds, latencies).named(name);
        }
    }

    private record Measured(long transactions, long failures, long[] latencies, long nanos) {
        Result named(String name) {
            int n = (int) Math.min(transactions, latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return new Result(name, transactions * 1e9 / nanos, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999), failures);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000;
    }

    /** Keeps {@code window} requests in flight for {@code seconds}; latencies in ns into a preallocated array. */
    private static Measured measure(Function<List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> send, List<ActionRequest> add,
            int window, int seconds, long[] latencies) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(window);
        long start = System.nanoTime();
        for (int i = 0; i < window; i++) {
            next(send, add, end, done, failures, latencies, finished);
        }
        finished.await();
        return new Measured(done.get(), failures.get(), latencies, System.nanoTime() - start);
    }

    private static void next(Function<List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> send, List<ActionRequest> add, long end,
            AtomicLong done, AtomicLong failures, long[] latencies, CountDownLatch finished) {
        long sent = System.nanoTime();
        if (sent >= end) {
            finished.countDown();
            return;
        }
        send.apply(add).whenComplete((reply, failure) -> {
            long index = done.getAndIncrement();
            if (failure != null || reply.error().isPresent()) {
                failures.incrementAndGet();
            } else if (index < latencies.length) {
                latencies[(int) index] = System.nanoTime() - sent;
            }
            next(send, add, end, done, failures, latencies, finished);
        });
    }

    /** Runs megaco_load.escript (a megaco MGC and MG in one Erlang VM over UDP loopback) when escript is installed. */
    private static Optional<Result> runMegaco(int window, int seconds) throws Exception {
        Path script = Files.createTempFile("megaco_load", ".escript");
        try (var in = H248LoadBench.class.getResourceAsStream("/bench/megaco_load.escript")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process process;
        try {
            process = new ProcessBuilder("escript", script.toString(), Integer.toString(window), Integer.toString(seconds))
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException noEscript) {
            return Optional.empty();
        }
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(seconds + 60L, TimeUnit.SECONDS);
        for (String line : output.lines().toList()) {
            if (line.startsWith("tps=")) {
                java.util.Map<String, String> fields = new java.util.HashMap<>();
                for (String field : line.split(" ")) {
                    String[] pair = field.split("=", 2);
                    fields.put(pair[0], pair[1]);
                }
                return Optional.of(new Result("Erlang megaco UDP", Double.parseDouble(fields.get("tps")), Long.parseLong(fields.get("p50_us")),
                        Long.parseLong(fields.get("p99_us")), Long.parseLong(fields.get("p999_us")), Long.parseLong(fields.get("failures"))));
            }
        }
        System.out.println("megaco run gave no figures:\n" + output);
        return Optional.empty();
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
