package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mediasec.ng.message.NgInbound;
import org.mediasec.ng.message.NgMessageException;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.NgRequestReader;
import org.mediasec.ng.message.NgRequestWriter;
import org.mediasec.ng.message.ReceivedFrom;
import org.mediasec.ng.message.SipMessageType;
import org.mediasec.testsupport.FreePorts;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * Our codec against the reference implementation: rtpengine (Debian rtpengine-daemon, user space, loopback only)
 * is sent requests made by our writer and encoders, over UDP in bencode and JSON and over its TCP ng listener, and
 * its replies are read by our decoders. Its error reasons for bad requests are the ones our reader gives.
 */
@RequiresPeer(command = "rtpengine", debianPackage = "rtpengine-daemon")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RtpengineDaemonInteropTest {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final String AUDIO_OFFER = "v=0\r\no=- 1545997027 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0 8\r\na=sendrecv\r\n";
    private static final String AUDIO_ANSWER = "v=0\r\no=- 1545997028 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 5000 RTP/AVP 0\r\na=sendrecv\r\n";

    private final AtomicLong cookies = new AtomicLong();
    private Process rtpengine;
    private Path log;
    private InetSocketAddress udp;
    private InetSocketAddress tcp;

    @BeforeAll
    void startRtpengine() throws Exception {
        udp = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.udp());
        tcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.tcp());
        log = Files.createTempFile("rtpengine", ".log");
        // user space only (--table=-1), loopback only, no config file (--config-file=none: its man page), foreground
        rtpengine = new ProcessBuilder("rtpengine", "--config-file=none", "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + udp.getPort(), "--listen-tcp-ng=127.0.0.1:" + tcp.getPort(),
                "--foreground", "--log-stderr", "--log-level=6", "--num-threads=1", "--port-min=35000", "--port-max=35999")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(this::answersPing);
    }

    private boolean answersPing() {
        assertThat(rtpengine.isAlive()).as(() -> "rtpengine exited: " + readLog()).isTrue();
        try {
            return exchange(new NgRequest.Ping(NgParameters.NONE), NgFormat.BENCODE, Duration.ofMillis(300)) instanceof NgReply.Pong;
        } catch (Exception | AssertionError notYet) {
            return false;
        }
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterAll
    void stopRtpengine() throws Exception {
        if (rtpengine != null) {
            rtpengine.destroy();
            rtpengine.waitFor();
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void aPingIsAnsweredPongInBothForms() throws Exception {
        assertThat(exchange(new NgRequest.Ping(NgParameters.NONE), NgFormat.BENCODE)).isEqualTo(new NgReply.Pong());
        assertThat(exchange(new NgRequest.Ping(NgParameters.NONE), NgFormat.JSON)).isEqualTo(new NgReply.Pong());
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void aCallGoesThroughOfferAnswerQueryListAndDelete() throws Exception {
        String callId = "interop-" + System.nanoTime();
        NgParameters offer = NgParameters.builder().callId(callId).fromTag("caller-tag").viaBranch("z9hG4bK-1").sdp(AUDIO_OFFER)
                .flags(List.of("trust-address")).replace(List.of("origin", "session-connection"))
                .receivedFrom(new ReceivedFrom("IP4", "127.0.0.1")).transportProtocol("RTP/AVP")
                .sipMessageType(SipMessageType.REQUEST).supports(List.of(NgParameters.LOAD_LIMIT)).build();
        NgReply.Ok offered = (NgReply.Ok) exchange(new NgRequest.Offer(offer), NgFormat.BENCODE);
        assertThat(offered.sdp()).hasValueSatisfying(sdp -> {
            assertThat(sdp).contains("c=IN IP4 127.0.0.1").contains("RTP/AVP 0 8").doesNotContain("m=audio 4000 ");
        });

        NgParameters answer = NgParameters.builder().callId(callId).fromTag("callee-tag").toTag("caller-tag").viaBranch("z9hG4bK-1")
                .sdp(AUDIO_ANSWER).sipMessageType(SipMessageType.REPLY).build();
        NgReply.Ok answered = (NgReply.Ok) exchange(new NgRequest.Answer(answer), NgFormat.JSON);
        assertThat(answered.sdp()).hasValueSatisfying(sdp -> assertThat(sdp).contains("m=audio ").doesNotContain("m=audio 5000 "));

        NgReply.Ok queried = (NgReply.Ok) exchange(new NgRequest.Query(NgParameters.builder().callId(callId).build()), NgFormat.BENCODE);
        assertThat(queried.fields()).containsKeys("created", "last signal", "tags", "totals");
        assertThat(((NgDictionary) queried.fields().get("tags")).entries()).containsKeys(NgString.of("caller-tag"), NgString.of("callee-tag"));

        NgReply.Ok listed = (NgReply.Ok) exchange(new NgRequest.ListCalls(NgParameters.builder().limit(100).build()), NgFormat.BENCODE);
        assertThat(((NgList) listed.fields().get("calls")).items()).contains(NgString.of(callId));

        NgReply deleted = exchange(new NgRequest.Delete(NgParameters.builder().callId(callId).fromTag("caller-tag").deleteDelay(0).build()),
                NgFormat.BENCODE);
        assertThat(deleted).isInstanceOfSatisfying(NgReply.Ok.class, ok -> assertThat(ok.warning()).isEmpty());
        assertThat(exchange(new NgRequest.Query(NgParameters.builder().callId(callId).build()), NgFormat.BENCODE))
                .isEqualTo(NgReply.error("Unknown call-id"));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void itsReasonsForBadRequestsAreTheOnesOurReaderGives() throws Exception {
        NgDictionary noSdp = NgDictionary.builder().put("command", "offer").put("call-id", "c").put("from-tag", "f").build();
        NgDictionary noToTag = NgDictionary.builder().put("command", "answer").put("call-id", "c").put("from-tag", "f")
                .put("sdp", AUDIO_ANSWER).build();
        NgDictionary noCallId = NgDictionary.builder().put("command", "delete").put("from-tag", "f").build();
        NgDictionary noCommand = NgDictionary.builder().put("call-id", "c").build();
        for (NgDictionary bad : List.of(noSdp, noToTag, noCallId, noCommand)) {
            String ours = reasonOurReaderGives(bad);
            assertThat(exchangeRaw(NgFormat.BENCODE.encode(bad), NgFormat.BENCODE)).as("%s", bad).isEqualTo(NgReply.error(ours));
        }
        assertThat(exchangeRaw(NgFormat.BENCODE.encode(NgDictionary.builder().put("command", "fly").build()), NgFormat.BENCODE))
                .isEqualTo(NgReply.error(NgReply.UNRECOGNIZED_COMMAND));
        assertThat(exchangeRaw("garbage".getBytes(StandardCharsets.US_ASCII), NgFormat.BENCODE))
                .isEqualTo(NgReply.error(NgInbound.INVALID_FORMAT));
        assertThat(exchangeRaw(new byte[0], NgFormat.BENCODE)).isEqualTo(NgReply.error(NgInbound.NO_PAYLOAD));
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void aRetransmittedCookieGetsTheSameReplyBytes() throws Exception {
        String callId = "retransmission-" + System.nanoTime();
        byte[] request = NgFraming.frame(new NgCookie("rt_" + cookies.incrementAndGet()), NgFormat.BENCODE.encode(NgRequestWriter.write(
                new NgRequest.Offer(NgParameters.builder().callId(callId).fromTag("a").sdp(AUDIO_OFFER).build()))));
        try (DatagramSocket socket = socket(REPLY_TIMEOUT)) {
            byte[] first = send(socket, request);
            byte[] second = send(socket, request);
            assertThat(second).isEqualTo(first);
        }
        exchange(new NgRequest.Delete(NgParameters.builder().callId(callId).deleteDelay(0).build()), NgFormat.BENCODE);
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void overTcpMessagesGoBackToBackAndEndWhereTheirDictionaryEnds() throws Exception {
        byte[] ping1 = NgFraming.frame(new NgCookie("t1"), NgFormat.BENCODE.encode(NgRequestWriter.write(new NgRequest.Ping(NgParameters.NONE))));
        byte[] list = NgFraming.frame(new NgCookie("t2"), NgFormat.BENCODE.encode(NgRequestWriter.write(new NgRequest.ListCalls(NgParameters.NONE))));
        byte[] ping3 = NgFraming.frame(new NgCookie("t3"), NgFormat.BENCODE.encode(NgRequestWriter.write(new NgRequest.Ping(NgParameters.NONE))));
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(concat(ping1, list, Arrays.copyOf(ping3, 5)));
            out.flush();
            TcpReader in = new TcpReader(socket.getInputStream());
            assertThat(in.next()).isEqualTo(new Reply(new NgCookie("t1"), new NgReply.Pong()));
            assertThat(in.next()).satisfies(reply -> {
                assertThat(reply.cookie()).isEqualTo(new NgCookie("t2"));
                assertThat(reply.reply()).isInstanceOf(NgReply.Ok.class);
            });
            out.write(Arrays.copyOfRange(ping3, 5, ping3.length));
            out.flush();
            assertThat(in.next()).isEqualTo(new Reply(new NgCookie("t3"), new NgReply.Pong()));
        }
    }

    private static String reasonOurReaderGives(NgDictionary bad) {
        try {
            NgRequestReader.read(bad);
            throw new AssertionError("our reader accepted " + bad);
        } catch (NgMessageException e) {
            return e.reason();
        }
    }

    private NgReply exchange(NgRequest request, NgFormat format) throws Exception {
        return exchange(request, format, REPLY_TIMEOUT);
    }

    private NgReply exchange(NgRequest request, NgFormat format, Duration timeout) throws Exception {
        return exchangeRaw(format.encode(NgRequestWriter.write(request)), format, timeout);
    }

    private NgReply exchangeRaw(byte[] document, NgFormat expectedFormat) throws Exception {
        return exchangeRaw(document, expectedFormat, REPLY_TIMEOUT);
    }

    /** Sends one request with a fresh cookie and reads the reply: same cookie, same form. */
    private NgReply exchangeRaw(byte[] document, NgFormat expectedFormat, Duration timeout) throws Exception {
        NgCookie cookie = new NgCookie("ms_" + cookies.incrementAndGet());
        try (DatagramSocket socket = socket(timeout)) {
            NgFraming.Framed framed = NgFraming.split(send(socket, NgFraming.frame(cookie, document)));
            assertThat(framed.cookie()).isEqualTo(cookie);
            NgDocument reply = framed.document(NgLimits.DEFAULT);
            assertThat(reply.format()).isEqualTo(expectedFormat);
            return NgReplies.read(reply.dictionary());
        }
    }

    private DatagramSocket socket(Duration timeout) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout((int) timeout.toMillis());
        socket.connect(udp);
        return socket;
    }

    private static byte[] send(DatagramSocket socket, byte[] message) throws IOException {
        socket.send(new DatagramPacket(message, message.length));
        DatagramPacket reply = new DatagramPacket(new byte[NgLimits.MAX_UDP_PAYLOAD], NgLimits.MAX_UDP_PAYLOAD);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply from rtpengine", e);
        }
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private record Reply(NgCookie cookie, NgReply reply) {}

    /** Cuts replies from a TCP stream the way our framing says: cookie, space, one bencode dictionary. */
    private static final class TcpReader {

        private final InputStream in;
        private byte[] buffered = new byte[0];

        TcpReader(InputStream in) {
            this.in = in;
        }

        Reply next() throws Exception {
            while (true) {
                int space = indexOf(buffered, (byte) ' ');
                if (space > 0) {
                    try {
                        BencodeDecoder.Decoded decoded = BencodeDecoder.decodePrefix(buffered, space + 1, buffered.length, NgLimits.DEFAULT);
                        NgCookie cookie = new NgCookie(new String(buffered, 0, space, StandardCharsets.US_ASCII));
                        buffered = Arrays.copyOfRange(buffered, decoded.end(), buffered.length);
                        return new Reply(cookie, NgReplies.read((NgDictionary) decoded.value()));
                    } catch (NgParseException e) {
                        if (!e.error().truncation()) {
                            throw e;
                        }
                    }
                }
                byte[] chunk = new byte[4096];
                int read = in.read(chunk);
                if (read < 0) {
                    throw new AssertionError("rtpengine closed the TCP connection");
                }
                buffered = concat(buffered, Arrays.copyOf(chunk, read));
            }
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }
}
