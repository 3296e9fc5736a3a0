package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mediasec.app.ue.WireRecorder;
import org.mediasec.it.wire.PcapWriter;
import org.mediasec.testsupport.Peers;

/** A UE's recorded connection written as a pcap (UE port 40000, gateway port 40001) and dissected by tshark. */
final class UeWire {

    static final int UE_PORT = 40000;
    static final int GATEWAY_PORT = 40001;

    private UeWire() {}

    static Path pcap(Path file, List<WireRecorder.Segment> segments) throws Exception {
        PcapWriter pcap = new PcapWriter();
        for (WireRecorder.Segment segment : segments) {
            byte[] bytes = segment.bytes();
            for (int at = 0; at < bytes.length; at += 16_000) {
                byte[] piece = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 16_000));
                if (segment.sent()) {
                    pcap.tcp(UE_PORT, GATEWAY_PORT, piece);
                } else {
                    pcap.tcp(GATEWAY_PORT, UE_PORT, piece);
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, pcap.bytes());
        return file;
    }

    /** How many frames tshark shows for {@code filter}, the gateway port decoded as {@code protocol}. */
    static long frames(Path file, String protocol, String filter) throws Exception {
        Peers.Result result = Peers.run(List.of("tshark", "-n", "-r", file.toString(), "-d", "tcp.port==" + GATEWAY_PORT + "," + protocol,
                "-Y", filter, "-T", "fields", "-e", "frame.number"), new byte[0], Duration.ofMinutes(1));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().lines().filter(line -> !line.isBlank()).count();
    }
}
