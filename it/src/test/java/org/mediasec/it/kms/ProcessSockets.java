package org.mediasec.it.kms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The network sockets a process holds, as Linux shows them in /proc: the TCP ports it listens on and the UDP ports it
 * has bound, found by matching the socket inodes of its file descriptors with /proc/net/{tcp,tcp6,udp,udp6}.
 */
record ProcessSockets(Set<Integer> tcpListening, Set<Integer> udpBound) {

    /** /proc/net/tcp's state column for LISTEN (include/net/tcp_states.h: TCP_LISTEN = 10). */
    private static final String LISTEN = "0A";
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    static ProcessSockets of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    Matcher socket = SOCKET_LINK.matcher(Files.readSymbolicLink(descriptor).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we read the directory
                }
            }
        }
        return new ProcessSockets(ports(List.of("tcp", "tcp6"), inodes, true), ports(List.of("udp", "udp6"), inodes, false));
    }

    /** Local ports of the table rows whose inode is one of {@code inodes} (and, for TCP, in LISTEN state). */
    private static Set<Integer> ports(List<String> tables, Set<String> inodes, boolean listeningOnly) throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (String table : tables) {
            List<String> lines = Files.readAllLines(Path.of("/proc/net", table));
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
                String[] fields = line.trim().split("\\s+");
                if (inodes.contains(fields[9]) && (!listeningOnly || fields[3].equals(LISTEN))) {
                    ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
