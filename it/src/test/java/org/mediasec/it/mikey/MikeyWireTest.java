package org.mediasec.it.mikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.it.wire.PcapWriter;
import org.mediasec.mikey.CommonHeader;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.KeyData;
import org.mediasec.mikey.MacAlgorithm;
import org.mediasec.mikey.MikeyEncoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.crypto.MikeyMacs;
import org.mediasec.sdp.KeyManagement;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;

/**
 * Our MIKEY in {@code a=key-mgmt:mikey} (RFC 4567) of an SDP in a SIP INVITE, in a pcap: tshark's SDP dissector hands
 * the key management data to its MIKEY dissector, which must find every payload and flag nothing. tshark 4.0 knows
 * RFC 3830 and the IDR payload, not the MIKEY-TICKET data types or the GENERIC-ID map, so the messages here use
 * an SRTP-ID map and the PSK data types.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class MikeyWireTest {

    private static MikeyMessage pskInit() {
        CommonHeader header = new CommonHeader(DataType.PSK_INIT, true, CommonHeader.PRF_MIKEY_1, 0x12345678L,
                new CryptoSessionMap.Srtp(List.of(new CryptoSessionMap.Srtp.Entry(0, 0xcafebabeL, 0))));
        byte[] keyData = MikeyEncoder.keyData(List.of(KeyData.tgk(new byte[16], new byte[] {1, 2, 3, 4})));
        return new MikeyMessage(header, List.of(
                new Payload.Timestamp(Payload.Timestamp.NTP_UTC, 0xE8A1B2C3D4E5F607L),
                new Payload.Rand(new byte[16]),
                Payload.Identity.withRole(Payload.Identity.ROLE_INITIATOR, "sip:alice@ims.example.org"),
                Payload.Identity.withRole(Payload.Identity.ROLE_RESPONDER, "sip:bob@ims.example.org"),
                new Payload.SecurityPolicy(0, 0, List.of(new Payload.PolicyParameter(0, new byte[] {1}), new Payload.PolicyParameter(1, new byte[] {16}))),
                new Payload.Kemac(Payload.Kemac.ENCRYPTION_NULL, keyData, MacAlgorithm.HMAC_SHA_1_160, new byte[20])));
    }

    private static MikeyMessage error() {
        return new MikeyMessage(new CommonHeader(DataType.ERROR, false, CommonHeader.PRF_MIKEY_1, 0x12345678L,
                new CryptoSessionMap.Srtp(List.of())), List.of(new Payload.Error(MikeyErrorCode.AUTHENTICATION_FAILURE),
                new Payload.Identity(OptionalInt.empty(), Payload.Identity.URI, "sip:bob@ims.example.org".getBytes(StandardCharsets.UTF_8)),
                new Payload.GeneralExtension(0, "mediasec".getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] invite(byte[] mikey) {
        // session level: tshark 4.0's SDP dissector hands key-mgmt to MIKEY there (RFC 4567 allows both levels)
        String sdp = "v=0\r\no=alice 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                + "a=key-mgmt:" + new KeyManagement("mikey", mikey).attributeValue() + "\r\nm=message 5000 TCP/TLS/MSRP *\r\n";
        String sip = "INVITE sip:bob@ims.example.org SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@ims.example.org>\r\nFrom: <sip:alice@ims.example.org>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@192.0.2.1\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        return sip.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void tsharkDecodesOurMikeyInsideSdpInsideSip(@TempDir Path directory) throws Exception {
        PcapWriter pcap = new PcapWriter();
        pcap.udp(5060, 5060, invite(MikeyMacs.sign(pskInit(), new byte[20])));
        pcap.udp(5060, 5060, invite(MikeyEncoder.encode(error()).bytes()));
        Path file = directory.resolve("mikey-in-sip.pcap");
        Files.write(file, pcap.bytes());
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "mikey-in-sip.pcap"), pcap.bytes());
        Peers.Result payloads = Peers.run(List.of("tshark", "-n", "-r", file.toString(), "-Y", "mikey", "-T", "fields", "-e", "mikey.type",
                "-e", "mikey.next_payload", "-e", "mikey.id.role", "-e", "mikey.err.no"), new byte[0], Duration.ofMinutes(1));
        assertThat(payloads.exitCode()).as(payloads.stderr()).isZero();
        List<String> lines = payloads.stdout().lines().toList();
        assertThat(lines).hasSize(2);
        // data type, the chain of next-payload values (T, RAND, IDR, IDR, SP, KEMAC, last), the IDR roles, the error
        assertThat(lines.get(0)).isEqualTo("0\t5,11,14,14,10,1,0\t1,2\t");
        assertThat(lines.get(1)).isEqualTo("6\t12,6,21,0\t\t0");
        Peers.Result bad = Peers.run(List.of("tshark", "-n", "-r", file.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= warning",
                "-T", "fields", "-e", "frame.number"), new byte[0], Duration.ofMinutes(1));
        assertThat(bad.stdout().lines().toList()).as("frames tshark flags").isEmpty();
    }
}
