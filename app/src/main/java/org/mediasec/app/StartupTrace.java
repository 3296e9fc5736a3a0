package org.mediasec.app;

import java.io.PrintWriter;
import java.time.Instant;

/**
 * Start-up phases of a process, in milliseconds since its JVM started, printed when the environment variable
 * {@code MEDIASEC_STARTUP_TRACE} is set (the demo sets it for the processes it starts: their logs then say where a
 * start-up's time goes, docs/performance.md). Thread rule: stateless after class initialisation, any thread.
 */
public final class StartupTrace {

    private static final boolean ON = System.getenv("MEDIASEC_STARTUP_TRACE") != null;
    /**
     * When the process was launched: {@code MEDIASEC_LAUNCHED_AT} (epoch milliseconds, set by whoever launched it: the
     * {@code mediasec} script, the demo for its gateways), else the process's start time, which Linux gives from the
     * boot time in whole seconds ({@code /proc/stat btime}): up to a second off.
     */
    private static final long JVM_START = launchedAt(System.getenv("MEDIASEC_LAUNCHED_AT"));

    private StartupTrace() {
    }

    static long launchedAt(String environment) {
        if (environment != null) {
            try {
                return Long.parseLong(environment.trim());
            } catch (NumberFormatException e) {
                // not ours: fall back to the process's start time
            }
        }
        return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);
    }

    /**
     * Prints {@code startup <ms> ms (cpu <ms> ms): <phase>} when tracing is on: wall time since the launch and the
     * CPU time the whole process (every thread, the JIT's too) has used so far.
     */
    public static void mark(PrintWriter out, String phase) {
        if (ON) {
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
            out.println("startup " + (System.currentTimeMillis() - JVM_START) + " ms (cpu " + cpu + " ms): " + phase);
            out.flush();
        }
    }
}
