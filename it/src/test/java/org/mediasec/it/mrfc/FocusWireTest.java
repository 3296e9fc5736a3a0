package org.mediasec.it.mrfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.it.wire.PcapWriter;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.conference.ConferenceMember;
import org.mediasec.msrp.conference.MemberSink;
import org.mediasec.msrp.conference.MsrpConference;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSessionListener;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The MRFP's plain side (focus ↔ relay pair, where the TLS-PSK is already removed) as tshark sees it: a chat and a
 * chunked 200 KiB message from one member, forwarded to two others (one CPIM-wrapped) with the sender's 200s and
 * Success REPORT, all dissected by tshark's MSRP dissector without a malformed frame.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class FocusWireTest {

    private static final int FOCUS_PORT = 2855;

    @Test
    @Tag("GW-4")
    @WireTest
    void whatTheFocusWritesDissectsAsMsrp(@TempDir Path directory) throws Exception {
        MsrpConference conference = new MsrpConference();
        Map<String, Integer> ports = Map.of("alice", 40001, "bob", 40002, "carol", 40003);
        PcapWriter pcap = new PcapWriter();
        List<String> members = List.of("alice", "bob", "carol");
        Map<String, org.mediasec.msrp.MsrpFrameListener> inputs = new LinkedHashMap<>();
        for (String name : members) {
            MsrpUri ue = MsrpUri.of(false, "127.0.0.1", ports.get(name), name);
            MsrpUri focus = MsrpUri.of(false, "127.0.0.1", FOCUS_PORT, "focus" + name);
            inputs.put(name, conference.join(new ConferenceMember(name, List.of(ue), focus,
                    name.equals("carol") ? List.of("message/cpim") : List.of("*"), "\"" + name + "\" <sip:" + name + "@ims.example.org>"), new MemberSink() {
                        @Override
                        public void write(ByteBuffer bytes) {
                            // one segment per write (a head, a body piece, an end-line, a whole response): tshark
                            // dissects a PDU where a segment starts one
                            byte[] copy = new byte[bytes.remaining()];
                            bytes.get(copy);
                            for (int at = 0; at < copy.length; at += 16_000) {
                                pcap.tcp(FOCUS_PORT, ports.get(name), java.util.Arrays.copyOfRange(copy, at, Math.min(copy.length, at + 16_000)));
                            }
                        }

                        @Override
                        public void flush() {}

                        @Override
                        public boolean overloaded() {
                            return false;
                        }

                        @Override
                        public void release(String reason) {
                            throw new AssertionError(reason);
                        }
                    }));
        }
        // Alice's endpoint sends; what it writes goes to the focus (and into the capture)
        List<byte[]> fromAlice = new ArrayList<>();
        MsrpSession alice = new MsrpSession(List.of(MsrpUri.of(false, "127.0.0.1", 40001, "alice")), List.of(MsrpUri.of(false, "127.0.0.1", FOCUS_PORT, "focusalice")),
                false, 1 << 20, fromAlice::add, new MsrpSessionListener() {
                    @Override
                    public void onMessage(String messageId, String contentType, byte[] body) {}
                });
        alice.send("text/plain", "hello".getBytes(StandardCharsets.UTF_8), 2048, true);
        alice.send("application/octet-stream", new byte[200 * 1024], 8192, true);
        MsrpDecoder decoder = new MsrpDecoder();
        for (byte[] frame : fromAlice) {
            pcap.tcp(ports.get("alice"), FOCUS_PORT, frame);
            decoder.decode(ByteBuffer.wrap(frame), inputs.get("alice"));
        }
        Path file = directory.resolve("focus.pcap");
        Files.write(file, pcap.bytes());
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "msrp-focus.pcap"), pcap.bytes());

        List<String> methods = tshark(file, "msrp", "msrp.method");
        assertThat(methods).contains("SEND", "REPORT");
        assertThat(tshark(file, "msrp.status.code", "msrp.status.code")).contains("200");
        assertThat(tshark(file, "_ws.malformed || _ws.expert.severity == error", "frame.number")).as("frames tshark flags").isEmpty();
        // the forwarded messages reached both others: bob in text/plain, carol CPIM-wrapped
        assertThat(tshark(file, "msrp && tcp.dstport == 40003", "msrp.content.type")).anyMatch(type -> type.contains("message/cpim"));
    }

    private static List<String> tshark(Path file, String filter, String field) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        for (int port : List.of(FOCUS_PORT, 40001, 40002, 40003)) {
            command.addAll(List.of("-d", "tcp.port==" + port + ",msrp"));
        }
        command.addAll(List.of("-Y", filter, "-T", "fields", "-e", field));
        Peers.Result result = Peers.run(command, new byte[0], Duration.ofMinutes(1));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().lines().filter(line -> !line.isBlank()).flatMap(line -> java.util.Arrays.stream(line.split(","))).toList();
    }
}
