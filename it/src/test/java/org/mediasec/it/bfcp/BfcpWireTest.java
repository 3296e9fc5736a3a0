package org.mediasec.it.bfcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.Priority;
import org.mediasec.bfcp.server.FloorControlServer;
import org.mediasec.bfcp.server.FloorPolicy;
import org.mediasec.bfcp.server.Outbound;
import org.mediasec.it.wire.PcapWriter;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;

/**
 * A floor control conversation as our codec and floor control server put it on a TCP connection, in a pcap:
 * tshark's BFCP dissector (packet-bfcp.c) must name every primitive and flag nothing.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class BfcpWireTest {

    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 50000;

    @Test
    void tsharkDissectsOurFloorControlWithoutComplaint(@TempDir Path directory) throws Exception {
        FloorControlServer server = new FloorControlServer(FloorPolicy.chairless(0x4711, 1));
        server.addUser(new FloorControlServer.User(7, "Alice", "sip:alice@ims.example.org"));
        PcapWriter pcap = new PcapWriter();
        List<String> expected = new ArrayList<>();
        List<BfcpMessage> requests = List.of(
                BfcpMessage.of(BfcpPrimitive.HELLO, 0x4711, 1, 7),
                BfcpMessage.of(BfcpPrimitive.FLOOR_QUERY, 0x4711, 2, 7, new BfcpAttribute.FloorId(1)),
                BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 0x4711, 3, 7, new BfcpAttribute.FloorId(1),
                        new BfcpAttribute.PriorityAttribute(Priority.HIGH), new BfcpAttribute.ParticipantProvidedInfo("may I?")),
                BfcpMessage.of(BfcpPrimitive.USER_QUERY, 0x4711, 4, 7, new BfcpAttribute.BeneficiaryId(7)),
                BfcpMessage.of(BfcpPrimitive.FLOOR_RELEASE, 0x4711, 5, 7, new BfcpAttribute.FloorRequestId(1)),
                BfcpMessage.of(BfcpPrimitive.FLOOR_RELEASE, 0x4711, 6, 7, new BfcpAttribute.FloorRequestId(99)));
        for (BfcpMessage request : requests) {
            pcap.tcp(CLIENT_PORT, SERVER_PORT, BfcpEncoder.encode(request));
            expected.add(String.valueOf(request.primitive().code()));
            for (Outbound outbound : server.handle(7, request)) {
                pcap.tcp(SERVER_PORT, CLIENT_PORT, BfcpEncoder.encode(outbound.message()));
                expected.add(String.valueOf(outbound.message().primitive().code()));
            }
        }
        Path file = directory.resolve("bfcp.pcap");
        Files.write(file, pcap.bytes());
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "bfcp.pcap"), pcap.bytes());

        List<String> decodeAs = List.of("-d", "tcp.port==" + SERVER_PORT + ",bfcp");
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(decodeAs);
        command.addAll(List.of("-Y", "bfcp", "-T", "fields", "-e", "bfcp.primitive"));
        Peers.Result primitives = Peers.run(command, new byte[0], Duration.ofMinutes(1));
        assertThat(primitives.exitCode()).as(primitives.stderr()).isZero();
        assertThat(primitives.stdout().lines().toList()).isEqualTo(expected);
        // the Hello's answer, the floor grant and the final Error are all there
        assertThat(expected).contains("12", "4", "8", "6", "13");

        List<String> bad = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        bad.addAll(decodeAs);
        bad.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity >= warning", "-T", "fields", "-e", "frame.number"));
        assertThat(Peers.run(bad, new byte[0], Duration.ofMinutes(1)).stdout().lines().toList()).as("frames tshark flags").isEmpty();
    }
}
