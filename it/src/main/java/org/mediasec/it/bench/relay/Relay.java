package org.mediasec.it.bench.relay;

import java.util.List;

/** A relay under test: ours (a child JVM), HAProxy or stunnel, each in a process of its own. */
interface Relay extends AutoCloseable {

    String name();

    /** Where {@code count} sessions may connect: one address per session (ours: one pair each), or the same one. */
    List<java.net.InetSocketAddress> targets(int count, boolean tls) throws Exception;

    /** Ends the sessions opened by {@link #ports} (ours releases its pairs; the others close with their clients). */
    void releaseAll() throws Exception;

    /** The relay process's resident memory, and its Java heap where it has one (else -1), in bytes. */
    Memory memory() throws Exception;

    /** Whether this relay can do plain TCP↔TCP (stunnel cannot). */
    boolean relaysPlainTcp();

    @Override
    void close();

    record Memory(long rss, long heap) {}

    static long rss(long pid) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
