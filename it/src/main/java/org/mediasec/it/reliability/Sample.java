package org.mediasec.it.reliability;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One look at the gateway under soak, {@code seconds} after the load started (negative: before): from
 * {@code /proc/<pid>} its open files, resident memory and threads; from {@code jcmd} its heap after a full GC; from its
 * metrics its contexts, bearer ports and open relay pairs, failed TLS handshakes; from the load the calls in progress and done.
 */
record Sample(double seconds, String phase, long openFiles, long residentKib, long heapAfterGcKib, long threads, long contexts, long portsInUse,
        long bearersOpen, long handshakeFailures, long callsActive, long callsCompleted, long callsFailed) {

    /** A plotted or judged figure: its name, its unit and how it is read from a sample. */
    record Series(String name, String unit, ToDoubleFunction<Sample> value) {}

    static final Series OPEN_FILES = new Series("open fds", "", Sample::openFiles);
    static final Series RESIDENT = new Series("RSS", "MiB", sample -> sample.residentKib() / 1024.0);
    static final Series HEAP = new Series("heap after full GC", "MiB", sample -> sample.heapAfterGcKib() / 1024.0);
    static final Series THREADS = new Series("threads", "", Sample::threads);
    static final Series CONTEXTS = new Series("contexts", "", Sample::contexts);
    static final Series PORTS = new Series("bearer ports in use", "", Sample::portsInUse);
    static final Series CALLS = new Series("calls in progress (client)", "", Sample::callsActive);
    static final List<Series> PLOTTED = List.of(CALLS, CONTEXTS, OPEN_FILES, PORTS, RESIDENT, HEAP, THREADS);

    static final String CSV_HEADER = "seconds,phase,open_fds,rss_kib,heap_after_gc_kib,threads,contexts,ports_in_use,bearers_open,handshake_failures,calls_active,"
            + "calls_completed,calls_failed";

    static Sample take(double seconds, String phase, SoakGateway gateway, SoakLoad.Counts load) throws IOException, InterruptedException {
        long heap = gateway.heapAfterGcKib();
        return new Sample(seconds, phase, gateway.openFiles(), gateway.residentKib(), heap, gateway.threads(), (long) gateway.metric("mediasec_contexts"),
                (long) gateway.metric("mediasec_ports_in_use"), (long) gateway.metric("mediasec_bearers_open"),
                (long) gateway.metric("mediasec_tls_handshake_failures_total"), load.active(), load.completed(),
                load.failed());
    }

    String csv() {
        return String.format(Locale.ROOT, "%.1f,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", seconds, phase, openFiles, residentKib, heapAfterGcKib, threads, contexts,
                portsInUse, bearersOpen, handshakeFailures, callsActive, callsCompleted, callsFailed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%7.1f s %-8s fds %6d  RSS %6.1f MiB  heap %6.1f MiB  threads %4d  contexts %6d  ports %6d  bearers %6d  "
                + "TLS handshakes failed %4d  calls %6d active, %8d done, %5d failed", seconds, phase, openFiles, residentKib / 1024.0,
                heapAfterGcKib / 1024.0, threads, contexts, portsInUse, bearersOpen, handshakeFailures, callsActive, callsCompleted, callsFailed);
    }
}
