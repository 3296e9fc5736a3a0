package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU time from Linux's {@code /proc} (proc(5)): a process's user and system time (all its threads), and the
 * machine's busy time over all cores, so that a step can say how much CPU the system under test used per call and
 * how much other work (other engineers' builds) took from the machine meanwhile. Stateless; any thread.
 */
final class CpuTime {

    /** USER_HZ: the unit of /proc's tick counts, 100 on every Linux architecture we run on (proc(5), sysconf(_SC_CLK_TCK)). */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;
    /** /proc/[pid]/stat after the ")" of comm: field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12. */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;

    private CpuTime() {}

    /** User plus system time of process {@code pid}, in ns; 0 when it is gone. */
    static long process(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static long processes(Collection<Long> pids) {
        return pids.stream().mapToLong(CpuTime::process).sum();
    }

    /** Busy time of all cores together (user, nice, system, irq, softirq, steal), in ns, from /proc/stat's "cpu" line. */
    static long machineBusy() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            // cpu user nice system idle iowait irq softirq steal: idle (4) and iowait (5) are not busy
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }
}
