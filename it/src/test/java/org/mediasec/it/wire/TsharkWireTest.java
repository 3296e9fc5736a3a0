package org.mediasec.it.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.text.H248TextWriter;
import org.mediasec.it.megaco.MegacoInteropTest;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * What we put on the wire dissects cleanly in Wireshark: every message of the corpus and the Iq set, in both text
 * styles, sent as a UDP datagram to port 2944, is recognised by tshark's H.248 (megaco) dissector, and none is
 * flagged malformed or in error, except messages whose SDP (carried verbatim) is itself flawed in the source
 * corpus, listed with the flaw in {@link #SDP_FLAWS_IN_THE_CORPUS}.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class TsharkWireTest {

    /** Corpus messages whose SDP Wireshark rightly criticises; the H.248 around it must still dissect. */
    static final Map<String, String> SDP_FLAWS_IN_THE_CORPUS = Map.of(
            "rfc3525-rfc3525-06", "t= 0 0 (extra space, as in RFC 3525's example)",
            "rfc3525-rfc3525-09", "t= 0 0 (extra space, as in RFC 3525's example)",
            "megaco-msg01a", "a=fmtp:PCMU … (a format name where a payload number belongs)",
            "megaco-msg02", "a=fmtp:PCMU … (a format name where a payload number belongs)",
            "megaco-msg22a", "m=audio 1111 RTP/AVP  4 (two spaces)");

    @Test
    @Tag("H248-1")
    @WireTest
    void everyEncodingDissectsAsH248WithoutMalformedPackets() throws Exception {
        PcapWriter pcap = new PcapWriter();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Map.Entry<String, Message> entry : MegacoInteropTest.messages().entrySet()) {
            pcap.udp(2945, 2944, H248TextWriter.compact(entry.getValue()).getBytes(StandardCharsets.UTF_8));
            pcap.udp(2944, 2945, H248TextWriter.pretty(entry.getValue()).getBytes(StandardCharsets.UTF_8));
            names.add(entry.getKey() + " (compact)");
            names.add(entry.getKey() + " (pretty)");
        }
        // kept in target/ for a look with wireshark when this test fails
        Path file = Path.of("target", "h248-wire.pcap");
        Files.createDirectories(file.getParent());
        Files.write(file, pcap.bytes());

        Peers.Result megaco = tshark(file, "megaco");
        Peers.Result malformed = tshark(file, "_ws.malformed || _ws.expert.severity == error");

        assertThat(megaco.exitCode()).as(megaco.stderr()).isZero();
        assertThat(megaco.stdout().lines().count()).as("packets dissected as H.248").isEqualTo(pcap.packets());
        java.util.List<String> flagged = malformed.stdout().lines().map(frame -> names.get(Integer.parseInt(frame.strip()) - 1))
                .filter(name -> !SDP_FLAWS_IN_THE_CORPUS.containsKey(name.substring(0, name.indexOf(' ')))).toList();
        assertThat(flagged).as("messages tshark flags as malformed or in error (see target/h248-wire.pcap)").isEmpty();
    }

    private static Peers.Result tshark(Path file, String filter) throws Exception {
        return Peers.run(List.of("tshark", "-n", "-r", file.toString(), "-Y", filter, "-T", "fields", "-e", "frame.number"),
                new byte[0], Duration.ofMinutes(2));
    }
}
