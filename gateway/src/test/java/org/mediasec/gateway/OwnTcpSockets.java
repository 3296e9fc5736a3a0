package org.mediasec.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * This process's TCP sockets as the kernel lists them (Linux: {@code /proc/net/tcp} and {@code tcp6}, matched to
 * {@code /proc/self/fd} by inode), so that a test can say which ports the gateway listens on and which connections
 * it holds, whatever the code believes it opened.
 */
final class OwnTcpSockets {

    /** /proc/net/tcp's st column (include/net/tcp_states.h). */
    private static final String LISTEN = "0A";
    private static final String ESTABLISHED = "01";

    /** One socket: its inode, state (hex, as the kernel prints it) and ports. */
    record TcpSocket(long inode, String state, int localPort, int remotePort) {
        boolean listening() {
            return state.equals(LISTEN);
        }

        boolean established() {
            return state.equals(ESTABLISHED);
        }
    }

    private OwnTcpSockets() {}

    /** The TCP sockets this process has open now. */
    static List<TcpSocket> now() throws IOException {
        Set<Long> ours = socketInodes();
        List<TcpSocket> sockets = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                long inode = Long.parseLong(fields[9]);
                if (inode != 0 && ours.contains(inode)) {
                    sockets.add(new TcpSocket(inode, fields[3], port(fields[1]), port(fields[2])));
                }
            }
        }
        return sockets;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    private static Set<Long> socketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while listed: not a socket of ours any more
                }
            }
        }
        return inodes;
    }
}
