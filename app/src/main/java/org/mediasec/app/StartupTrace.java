package org.mediasec.app;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

    /**
     * The last mark, just before the process exits: it also names the threads that are in native code (blocked in
     * epoll_wait or a socket read, say), because HotSpot's exit waits up to 300 ms for them to leave it (VM_Exit:
     * "wait for threads in native to block"). A virtual thread's blocking socket I/O, or an HTTP client left open,
     * costs every exit that (docs/performance.md).
     */
    public static void exit(PrintWriter out) {
        if (ON) {
            List<String> inNative = threadsInNativeCode();
            mark(out, "exiting (threads in native code, which the JVM waits up to 300 ms for: " + (inNative.isEmpty() ? "none" : String.join(", ", inNative)) + ")");
        }
    }

    /**
     * The platform threads other than the caller whose innermost frame is a native method, as {@code name (frame)}. The
     * JVM's own waits that are native methods in Java but blocked in the VM (the reference handler's, the virtual
     * thread unblocker's) are not in native code for the exit's purpose and are left out.
     */
    static List<String> threadsInNativeCode() {
        List<String> found = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread != Thread.currentThread() && thread.getState() == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod()
                    && !BLOCKED_IN_THE_VM.contains(stack[0].getClassName() + "." + stack[0].getMethodName())) {
                found.add(thread.getName() + " (" + stack[0].getClassName() + "." + stack[0].getMethodName() + ")");
            }
        });
        found.sort(null);
        return found;
    }

    private static final Set<String> BLOCKED_IN_THE_VM = Set.of("java.lang.ref.Reference.waitForReferencePendingList",
            "java.lang.VirtualThread.takeVirtualThreadListToUnblock");
}
