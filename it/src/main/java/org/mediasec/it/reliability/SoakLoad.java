package org.mediasec.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's calls: {@code sessions} slots, each a virtual thread that runs one call after another until the load
 * stops: open (H.248 through {@link SoakMgc}; the calls take the mix's kinds in turn, {@link SoakStream}), a UE and a
 * core client connect to the gateway's two ports (with TLS where the kind has it, {@link SoakTls}), each sends
 * {@code chunkBytes} to the other every {@code chunkEvery}, checked byte for byte and by CRC-32
 * ({@link StreamCheck}; the fax kind sends each chunk as one UDPTL datagram through the UE's DTLS, {@link SoakFax}), for a hold time of 0.5 to 1.5 times the mean; then Subtract, and the clients close (as after
 * a BYE). The slots' first calls start at most {@code rampPerSecond} a second and hold for a uniform share of the
 * mean, so that calls end, and are replaced, at an even rate from the start. Thread rule: {@link #start} and
 * {@link #stop} from one owner; the slots update only concurrent counters.
 */
final class SoakLoad {

    /** A chunk not back within this is lost: far beyond any queueing a healthy relay shows. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A slot whose call could not be opened waits this long before the next (no tight loop against a refusing gateway). */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final SoakMgc mgc;
    private final SoakOptions options;
    /** Made only when the mix has a TLS leg: key generation is not free. */
    private final SoakTls tls;
    private final ExecutorService slots = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong callNumbers = new AtomicLong();
    private final LongAdder active = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesCorrupted = new LongAdder();
    private final LongAdder streamsBroken = new LongAdder();
    private final Map<SoakStream, LongAdder> completedByKind = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, String> failureExamples = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    SoakLoad(SoakMgc mgc, SoakOptions options) {
        this.mgc = mgc;
        this.options = options;
        this.tls = options.mix().stream().anyMatch(kind -> kind.accessTls() || kind.coreTls()) ? new SoakTls() : null;
        if (options.mix().contains(SoakStream.UDPTL)) {
            SoakFax.checkChunk(options.chunkBytes()); // before any call: a chunk the gateway would drop fails the soak's start
        }
    }

    /** What the load did so far. */
    record Counts(long active, long completed, Map<String, Long> completedByKind, long bytesSent, long bytesReceived, long bytesCorrupted,
            long streamsBroken, Map<String, Long> failures, Map<String, String> examples) {
        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Counts counts() {
        Map<String, Long> failed = new TreeMap<>();
        failures.forEach((kind, count) -> failed.put(kind, count.sum()));
        Map<String, Long> byKind = new TreeMap<>();
        completedByKind.forEach((kind, count) -> byKind.put(kind.name().toLowerCase(Locale.ROOT), count.sum()));
        return new Counts(active.sum(), completed.sum(), byKind, bytesSent.sum(), bytesReceived.sum(), bytesCorrupted.sum(), streamsBroken.sum(), failed,
                Map.copyOf(failureExamples));
    }

    void start() {
        long begin = System.nanoTime();
        for (int slot = 0; slot < options.sessions(); slot++) {
            long firstAt = begin + slot * TimeUnit.SECONDS.toNanos(1) / options.rampPerSecond();
            double firstShare = (slot + 1.0) / options.sessions();
            slots.submit(() -> run(firstAt, firstShare));
        }
    }

    /** Lets every call end at its next chunk (released as usual) and waits for the slots, up to {@code limit}. */
    boolean stop(Duration limit) throws InterruptedException {
        stopping = true;
        slots.shutdown();
        return slots.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(long firstAt, double firstShare) {
        try {
            sleepNanos(firstAt - System.nanoTime());
            long hold = (long) (options.hold().toNanos() * firstShare);
            while (!stopping) {
                if (!call(hold)) {
                    sleepNanos(RETRY_AFTER.toNanos());
                }
                hold = (long) (options.hold().toNanos() * ThreadLocalRandom.current().nextDouble(0.5, 1.5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One whole call; false when it could not be opened. */
    private boolean call(long holdNanos) throws InterruptedException {
        long number = callNumbers.incrementAndGet();
        SoakStream kind = options.mix().get((int) (number % options.mix().size()));
        if (!kind.datagram()) {
            return call(number, kind, null, holdNanos);
        }
        // a UDP kind's UE and core are bound before the Add: its Remote carries their ports
        SoakFax fax;
        try {
            fax = SoakFax.bind();
        } catch (IOException e) {
            failed("open", e);
            return false;
        }
        try (fax) {
            return call(number, kind, fax, holdNanos);
        } catch (IOException e) {
            failed("close", e); // the UE's close_notify, after the Subtract as a TCP UE's close
            return true;
        }
    }

    /** One call of {@code kind}, over {@code fax}'s ends for the UDP kind (null for a TCP one). */
    private boolean call(long number, SoakStream kind, SoakFax fax, long holdNanos) throws InterruptedException {
        SoakMgc.Opened opened;
        try {
            opened = fax == null ? mgc.open(kind, tls) : mgc.open(kind, tls, fax.uePort(), fax.corePort());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failed("open", e);
            return false;
        }
        active.increment();
        StreamCheck towardsCore = new StreamCheck(2 * number);
        StreamCheck towardsUe = new StreamCheck(2 * number + 1);
        try (Socket ue = new Socket(); Socket core = new Socket()) {
            try {
                long until = System.nanoTime() + holdNanos;
                if (fax == null) {
                    exchange(ue, core, opened, towardsCore, towardsUe, until);
                } else {
                    exchange(fax, opened, towardsCore, towardsUe, until);
                }
            } catch (IOException e) {
                failed("bearer", e);
            }
            try {
                mgc.release(opened.context());
                completed.increment();
                completedByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failed("release", e);
            }
        } catch (IOException e) {
            failed("close", e);
        } finally {
            active.decrement();
            account(towardsCore);
            account(towardsUe);
        }
        return true;
    }

    private void exchange(Socket ueSocket, Socket coreSocket, SoakMgc.Opened opened, StreamCheck towardsCore, StreamCheck towardsUe, long until)
            throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ueSocket.connect(new InetSocketAddress(loopback, opened.accessPort()), (int) CONNECT_TIMEOUT.toMillis());
        ueSocket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        Socket ue = opened.kind().accessTls() ? tls.client(ueSocket, true, opened.accessFingerprint()) : ueSocket;
        coreSocket.connect(new InetSocketAddress(loopback, opened.corePort()), (int) CONNECT_TIMEOUT.toMillis());
        coreSocket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        Socket core = opened.kind().coreTls() ? tls.client(coreSocket, false, opened.coreFingerprint()) : coreSocket;
        // the caller closes the plain sockets after the Subtract, as after a BYE: a close before it would be a FIN (or a
        // close_notify) that the gateway reports as a failure (TCP-8, TLS-10); the TLS layers hold nothing else
        byte[] buffer = new byte[options.chunkBytes()];
        do {
            ue.getOutputStream().write(towardsCore.next(options.chunkBytes()));
            receive(core.getInputStream(), buffer, towardsCore);
            core.getOutputStream().write(towardsUe.next(options.chunkBytes()));
            receive(ue.getInputStream(), buffer, towardsUe);
            sleepNanos(Math.min(options.chunkEvery().toNanos(), until - System.nanoTime()));
        } while (System.nanoTime() < until && !stopping);
    }

    /** As the TCP exchange, each chunk one UDPTL datagram ({@link SoakFax}): one not back within {@link #READ_TIMEOUT} is lost. */
    private void exchange(SoakFax fax, SoakMgc.Opened opened, StreamCheck towardsCore, StreamCheck towardsUe, long until)
            throws IOException, InterruptedException {
        fax.connect(opened, tls);
        do {
            fax.ueSends(towardsCore.next(options.chunkBytes()));
            fax.coreReceives(towardsCore, READ_TIMEOUT);
            fax.coreSends(towardsUe.next(options.chunkBytes()));
            fax.ueReceives(towardsUe, READ_TIMEOUT);
            sleepNanos(Math.min(options.chunkEvery().toNanos(), until - System.nanoTime()));
        } while (System.nanoTime() < until && !stopping);
    }

    private static void receive(InputStream in, byte[] buffer, StreamCheck stream) throws IOException {
        int got = in.readNBytes(buffer, 0, buffer.length);
        stream.arrived(buffer, got);
        if (got < buffer.length) {
            throw new IOException("end of stream after " + stream.received() + " of " + stream.sent() + " bytes");
        }
    }

    private void account(StreamCheck stream) {
        bytesSent.add(stream.sent());
        bytesReceived.add(stream.received());
        bytesCorrupted.add(stream.corrupted());
        if (!stream.intact()) {
            streamsBroken.increment();
        }
    }

    private void failed(String step, Exception e) {
        String kind = step + ": " + e.getClass().getSimpleName();
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        failureExamples.putIfAbsent(kind, String.valueOf(e.getMessage()));
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
