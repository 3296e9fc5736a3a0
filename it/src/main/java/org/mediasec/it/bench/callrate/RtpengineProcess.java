package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.it.harness.PeerProcess;

/**
 * rtpengine from Debian ({@code rtpengine-daemon}) as the anchor: user space only ({@code --table=-1}, no kernel
 * module), one interface and the ng control port on 127.0.0.1, no config file (the packaged one asks for the kernel
 * table), calls deleted at once on {@code delete} ({@code --delete-delay=0}: the default keeps a deleted call and its
 * ports 30 s, where our Subtract frees them at once), {@value #PORTS} media ports (two per stream and side, so as many
 * calls at once as the gateway's 10,000 ports give contexts). Everything else as shipped: worker threads (four on a
 * machine with fewer cores), log level 6 (info) unless {@code quietLogs} (4, warnings). Output to
 * {@code <directory>/rtpengine-<round>.log}. No state: it only starts the process.
 */
final class RtpengineProcess {

    static final String COMMAND = "rtpengine";
    static final int FIRST_PORT = 40000;
    static final int PORTS = 20000;
    /** syslog(3) levels, as rtpengine's --log-level takes them. */
    private static final int LOG_WARNING = 4;
    private static final Duration STOP = Duration.ofSeconds(10);

    private RtpengineProcess() {
    }

    static PeerProcess start(Path directory, String round, int ngPort, boolean quietLogs) throws IOException {
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(List.of(COMMAND, "--config-file=none", "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + ngPort, "--foreground", "--log-stderr", "--delete-delay=0",
                "--port-min=" + FIRST_PORT, "--port-max=" + (FIRST_PORT + PORTS - 1)));
        if (quietLogs) {
            command.add("--log-level=" + LOG_WARNING);
        }
        return PeerProcess.start(command, directory.resolve("rtpengine-" + round + ".log"), STOP);
    }
}
