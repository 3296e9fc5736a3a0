package org.mediasec.it.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mediasec.h248stack.transport.WireTap;
import org.mediasec.testsupport.Peers;

/**
 * Records what an endpoint sends and receives (through its {@link WireTap}) into a pcap, and checks with tshark
 * that every message dissects as H.248 and none is malformed. Each message is recorded once, from the side of the
 * endpoint that sent it or received it from a foreign peer; TCP messages get their TPKT header back.
 */
public final class WireCapture implements WireTap {

    private final PcapWriter pcap = new PcapWriter();

    @Override
    public synchronized void onMessage(Direction direction, Protocol protocol, java.net.InetSocketAddress local,
            java.net.InetSocketAddress remote, byte[] text) {
        int source = direction == Direction.SENT ? local.getPort() : remote.getPort();
        int destination = direction == Direction.SENT ? remote.getPort() : local.getPort();
        switch (protocol) {
            case UDP -> pcap.udp(source, destination, text);
            case TCP -> {
                byte[] framed = new byte[4 + text.length];
                framed[0] = 3;
                framed[2] = (byte) (framed.length >> 8);
                framed[3] = (byte) framed.length;
                System.arraycopy(text, 0, framed, 4, text.length);
                pcap.tcp(source, destination, framed);
            }
        }
    }

    public synchronized int messages() {
        return pcap.packets();
    }

    /**
     * Writes the capture to {@code file} and asserts that tshark decodes every packet as H.248 (the ports are given
     * to the megaco dissector with decode-as) and flags none as malformed or in error.
     */
    public void assertDissectsCleanly(Path file, int udpPort, int tcpPort) throws Exception {
        byte[] bytes;
        int packets;
        synchronized (this) {
            bytes = pcap.bytes();
            packets = pcap.packets();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes);
        List<String> decodeAs = List.of("-d", "udp.port==" + udpPort + ",megaco", "-d", "tcp.port==" + tcpPort + ",megaco");
        Peers.Result megaco = tshark(file, decodeAs, "megaco");
        Peers.Result bad = tshark(file, decodeAs, "_ws.malformed || _ws.expert.severity == error");
        assertThat(megaco.exitCode()).as(megaco.stderr()).isZero();
        assertThat(megaco.stdout().lines().count()).as("packets dissected as H.248 in " + file).isEqualTo(packets);
        assertThat(bad.stdout().lines().toList()).as("frames tshark flags as malformed or in error in " + file).isEmpty();
    }

    /**
     * Writes the given TCP payloads (each one segment, alternating directions as given) to {@code file} and asserts
     * that tshark dissects every one as MSRP and flags none.
     */
    public static void assertMsrpDissectsCleanly(Path file, int msrpPort, int otherPort, List<byte[]> fromOther, List<byte[]> fromMsrpPort) throws Exception {
        PcapWriter pcap = new PcapWriter();
        fromOther.forEach(segment -> pcap.tcp(otherPort, msrpPort, segment));
        fromMsrpPort.forEach(segment -> pcap.tcp(msrpPort, otherPort, segment));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, pcap.bytes());
        List<String> decodeAs = List.of("-d", "tcp.port==" + msrpPort + ",msrp");
        Peers.Result msrp = tshark(file, decodeAs, "msrp");
        Peers.Result bad = tshark(file, decodeAs, "_ws.malformed || _ws.expert.severity == error");
        assertThat(msrp.stdout().lines().count()).as("packets dissected as MSRP in " + file + ": " + msrp.stderr()).isEqualTo(pcap.packets());
        assertThat(bad.stdout().lines().toList()).as("frames tshark flags in " + file).isEmpty();
    }

    private static Peers.Result tshark(Path file, List<String> decodeAs, String filter) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(decodeAs);
        command.addAll(List.of("-Y", filter, "-T", "fields", "-e", "frame.number"));
        return Peers.run(command, new byte[0], Duration.ofMinutes(1));
    }
}
