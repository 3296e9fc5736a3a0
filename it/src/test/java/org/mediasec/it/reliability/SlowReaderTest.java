package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.testsupport.WireTest;

/**
 * GW-8 against a gateway process: a UE writes as fast as it can to a core that reads one byte a second. The UE is
 * stopped by backpressure (its writes block) with no more in flight than the kernel's socket buffers on the two
 * connections and the pair's buffer; while the core keeps reading at 1 byte/s the gateway's heap after GC and its
 * resident memory stay flat, and the bytes the core reads are the UE's, in order.
 */
@Timeout(300)
class SlowReaderTest {

    /** limits.pairBufferBytes, the shipped default (docs/gateway.md). */
    private static final long PAIR_BUFFER_BYTES = 262_144;
    private static final int WRITE_CHUNK = 64 * 1024;
    /** No progress for this long: the writer is blocked. */
    private static final Duration STALLED = Duration.ofSeconds(2);
    private static final int SLOW_READS = 10;
    private static final Duration SLOW_READ_EVERY = Duration.ofSeconds(1);
    /** "Flat": what heap or RSS may move while the reader crawls (GC and JIT noise on a shared machine). */
    private static final long FLAT_KIB = 8 * 1024;

    @TempDir
    Path dir;

    /** Bytes the kernel may hold for one connection: the largest send plus the largest receive buffer (tcp_wmem, tcp_rmem maxima). */
    private static long kernelBytesPerConnection() throws Exception {
        return maximum("/proc/sys/net/ipv4/tcp_wmem") + maximum("/proc/sys/net/ipv4/tcp_rmem");
    }

    private static long maximum(String file) throws Exception {
        // Files.readString reads only the first byte of a sysctl file (its size shows as 4096, its read stops early): read lines
        String[] values = String.join(" ", Files.readAllLines(Path.of(file))).trim().split("\\s+");
        return Long.parseLong(values[values.length - 1]);
    }

    @Test
    @Tag("GW-8")
    @WireTest
    void aCoreReadingOneByteASecondStopsTheUeAndTheGatewaysMemoryStaysFlat() throws Exception {
        // the writer's executor closes last: once the sockets are closed its blocked write ends
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor(); FaultRig rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(2), "");
                Call call = rig.call()) {
            FaultRig.exchange(call, 1024, 1);
            StreamCheck towardsCore = new StreamCheck(7);
            AtomicLong written = new AtomicLong();
            writer.submit(() -> {
                OutputStream out = call.ue().getOutputStream();
                while (true) {
                    byte[] chunk;
                    synchronized (towardsCore) {
                        chunk = towardsCore.next(WRITE_CHUNK);
                    }
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            });
            long[] last = {-1};
            Awaitility.await("the UE's writes block").atMost(Duration.ofSeconds(120)).pollInterval(STALLED).until(() -> {
                long now = written.get();
                boolean same = now == last[0];
                last[0] = now;
                return same;
            });
            long inFlight = written.get();
            System.out.printf("slow reader: the UE was stopped after %,d bytes%n", inFlight);
            long bound = 2 * kernelBytesPerConnection() + PAIR_BUFFER_BYTES + WRITE_CHUNK;
            assertThat(inFlight).as("bytes written before the UE was stopped (bound %,d)", bound).isLessThanOrEqualTo(bound);
            long heapBefore = rig.gateway.heapAfterGcKib();
            long residentBefore = rig.gateway.residentKib();

            InputStream in = call.core().getInputStream();
            StreamCheck expected = new StreamCheck(7);
            byte[] pattern = expected.next(SLOW_READS);
            for (int i = 0; i < SLOW_READS; i++) {
                int read = in.read();
                assertThat((byte) read).as("byte %d as the UE sent it", i).isEqualTo(pattern[i]);
                Thread.sleep(SLOW_READ_EVERY); // the peer's pace, not a wait for an event
            }
            long heapAfter = rig.gateway.heapAfterGcKib();
            long residentAfter = rig.gateway.residentKib();
            System.out.printf("slow reader: heap after GC %,d -> %,d KiB, RSS %,d -> %,d KiB over %d s at 1 byte/s%n", heapBefore, heapAfter, residentBefore,
                    residentAfter, SLOW_READS);
            assertThat(heapAfter).as("heap after GC, KiB (before: %d)", heapBefore).isLessThanOrEqualTo(heapBefore + FLAT_KIB);
            assertThat(residentAfter).as("RSS, KiB (before: %d)", residentBefore).isLessThanOrEqualTo(residentBefore + FLAT_KIB);
            assertThat(written.get()).as("the UE is still held back").isLessThanOrEqualTo(bound + SLOW_READS);
            rig.mgc.release(call.opened().context());
        }
    }
}
