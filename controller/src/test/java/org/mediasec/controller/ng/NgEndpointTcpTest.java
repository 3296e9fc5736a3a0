package org.mediasec.controller.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediasec.controller.ng.NgUdpClient.ascii;
import static org.mediasec.controller.ng.NgUdpClient.message;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.message.NgInbound;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.testsupport.WireTest;

/** The ng endpoint's TCP listener: rtpengine's TCP ng framing, messages back to back. */
class NgEndpointTcpTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
            + "m=message 7394 TCP/MSRP *\r\na=path:msrp://192.0.2.10:7394/s1;tcp\r\n";

    private NgEndpoint endpoint;
    private final RecordingHandler handler = RecordingHandler.answering();

    private NgTcpClient start(NgEndpointConfig config) throws Exception {
        endpoint = NgEndpoint.bind(config, handler);
        return new NgTcpClient(endpoint.tcpAddress().orElseThrow());
    }

    private static NgEndpointConfig loopback() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return NgEndpointConfig.udp(new InetSocketAddress(loopback, 0)).withTcp(new InetSocketAddress(loopback, 0));
    }

    private static NgRequest offer(String callId) {
        return new NgRequest.Offer(NgParameters.builder().callId(callId).fromTag("ft").sdp(SDP).build());
    }

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void messagesBackToBackInOneWriteAreEachAnsweredBehindTheirCookie() throws Exception {
        try (NgTcpClient client = start(loopback())) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(message("p1", new NgRequest.Ping(NgParameters.NONE), NgFormat.BENCODE));
            all.writeBytes(message("o2", offer("call-1"), NgFormat.BENCODE));
            all.writeBytes(message("p3", new NgRequest.Ping(NgParameters.NONE), NgFormat.BENCODE));
            client.write(all.toByteArray());
            Set<NgTcpClient.Reply> replies = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                replies.add(client.next());
            }
            assertThat(replies).containsExactlyInAnyOrder(
                    new NgTcpClient.Reply(new NgCookie("p1"), new NgReply.Pong()),
                    new NgTcpClient.Reply(new NgCookie("o2"), RecordingHandler.typical(offer("call-1"))),
                    new NgTcpClient.Reply(new NgCookie("p3"), new NgReply.Pong()));
        }
    }

    @Test
    @Tag("NG-1")
    @WireTest
    void aMessageWrittenByteByByteIsCutWhole() throws Exception {
        try (NgTcpClient client = start(loopback())) {
            byte[] bytes = message("slow", offer("call-2"), NgFormat.BENCODE);
            for (byte b : bytes) {
                client.write(new byte[] {b});
            }
            assertThat(client.next()).isEqualTo(new NgTcpClient.Reply(new NgCookie("slow"), RecordingHandler.typical(offer("call-2"))));
            assertThat(handler.next().request()).isEqualTo(offer("call-2"));
        }
    }

    @Test
    void aRetransmissionOnTheConnectionIsAnsweredFromTheCache() throws Exception {
        try (NgTcpClient client = start(loopback())) {
            byte[] request = message("again", offer("call-3"), NgFormat.BENCODE);
            client.write(request);
            NgTcpClient.Reply first = client.next();
            client.write(request);
            assertThat(client.next()).isEqualTo(first);
            handler.next();
            assertThat(handler.calledWithin(Duration.ofMillis(500))).isFalse();
        }
    }

    @Test
    void jsonIsNotFramedOnTcpItIsRefusedAndTheConnectionClosed() throws Exception {
        try (NgTcpClient client = start(loopback())) {
            client.write(ascii("j1 {\"command\":\"ping\"}"));
            assertThat(client.next()).isEqualTo(new NgTcpClient.Reply(new NgCookie("j1"), NgReply.error(NgInbound.INVALID_FORMAT)));
            assertThat(client.closedWithNothingMore()).isTrue();
        }
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedAndTheConnectionClosed() throws Exception {
        try (NgTcpClient client = start(loopback())) {
            client.write(ascii("big d3:sdp99999999:"));
            assertThat(client.next()).satisfies(reply -> {
                assertThat(reply.cookie()).isEqualTo(new NgCookie("big"));
                assertThat(((NgReply.Error) reply.reply()).reason()).startsWith(NgInbound.BAD_BENCODE + ": message too large");
            });
            assertThat(client.closedWithNothingMore()).isTrue();
        }
    }

    @Test
    void aNestingBombIsRefusedAtTheDepthLimit() throws Exception {
        try (NgTcpClient client = start(loopback())) {
            client.write(ascii("deep d1:a" + "l".repeat(10_000)));
            assertThat(((NgReply.Error) client.next().reply()).reason()).startsWith(NgInbound.BAD_BENCODE + ": nesting too deep");
            assertThat(client.closedWithNothingMore()).isTrue();
        }
    }

    @Test
    void aStreamWithoutACookieIsClosedWithoutAReply() throws Exception {
        try (NgTcpClient client = start(loopback()); NgTcpClient other = new NgTcpClient(endpoint.tcpAddress().orElseThrow())) {
            client.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            assertThat(client.closedWithNothingMore()).isTrue();
            other.write(message("ok", new NgRequest.Ping(NgParameters.NONE), NgFormat.BENCODE));
            assertThat(other.next()).isEqualTo(new NgTcpClient.Reply(new NgCookie("ok"), new NgReply.Pong()));
            assertThat(endpoint.counters().dropped()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionFromASourceThatIsNotAllowedIsClosed() throws Exception {
        try (NgTcpClient stranger = start(loopback().withAllowedSources(Set.of(InetAddress.getByName("192.0.2.1"))))) {
            assertThat(stranger.closedWithNothingMore()).isTrue();
            assertThat(endpoint.counters().unknownSources()).isEqualTo(1);
        }
    }

    @Test
    void connectionsBeyondTheBoundAreClosed() throws Exception {
        try (NgTcpClient first = start(loopback().withMaxTcpConnections(1));
                NgTcpClient second = new NgTcpClient(endpoint.tcpAddress().orElseThrow())) {
            assertThat(second.closedWithNothingMore()).isTrue();
            first.write(message("p", new NgRequest.Ping(NgParameters.NONE), NgFormat.BENCODE));
            assertThat(first.next()).isEqualTo(new NgTcpClient.Reply(new NgCookie("p"), new NgReply.Pong()));
        }
    }
}
