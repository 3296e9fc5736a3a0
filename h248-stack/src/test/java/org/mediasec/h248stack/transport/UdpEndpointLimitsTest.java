package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.ParserLimits;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.testsupport.WireTest;

/** The UDP endpoint's limits on real sockets: whole large datagrams, bounded peers under floods, rate-limited 402s. */
class UdpEndpointLimitsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress ANY = new InetSocketAddress(LOOPBACK, 0);
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Transaction.TransactionRequest> handled = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
    }

    private final RequestHandler answering = request -> {
        handled.add(request);
        return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(ContextId.of(1),
                List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of()))))));
    };

    private UdpEndpoint endpoint(ParserLimits limits, EndpointLimits endpointLimits, UnknownPeers unknownPeers, java.util.function.Predicate<InetSocketAddress> admitted)
            throws Exception {
        UdpEndpoint endpoint = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, limits, PeerLimits.DEFAULT,
                endpointLimits, peer -> admitted.test(peer) ? Optional.of(answering) : Optional.empty());
        endpoint.unknownPeers(unknownPeers);
        open.add(endpoint);
        return endpoint;
    }

    /** An Add whose Remote SDP is padded with attribute lines to make the whole message about {@code size} octets. */
    static String largeAdd(long transaction, int size) {
        StringBuilder sdp = new StringBuilder("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=message 7394 TCP/TLS/MSRP *\n"
                + "a=setup:active\na=fingerprint:sha-256 " + "4A:".repeat(31) + "4A\n");
        String head = "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " { Context = $ { Add = ip/$ { Media { Stream = 1 { Remote {\n";
        String tail = "} } } } } }\n";
        for (int line = 0; head.length() + sdp.length() + tail.length() < size - 80; line++) {
            sdp.append("a=accept-types:message/cpim text/plain application/im-iscomposing+xml image/jpeg video/mp4 x-").append(line).append('\n');
        }
        return head + sdp + tail;
    }

    private static String remoteSdp(Transaction.TransactionRequest request) {
        Command.Add add = (Command.Add) request.actions().get(0).commands().get(0).command();
        MediaParameter.StreamDescriptor stream = (MediaParameter.StreamDescriptor) ((org.mediasec.h248.message.Descriptor.MediaDescriptor) add.descriptors().get(0))
                .parameters().get(0);
        return ((MediaParameter.RemoteDescriptor) stream.parameters().get(0)).sdp();
    }

    private static String receiveOne(DatagramSocket socket) throws Exception {
        socket.setSoTimeout(5_000);
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private static List<String> receiveAll(DatagramSocket socket, Duration quiet) throws Exception {
        List<String> received = new ArrayList<>();
        socket.setSoTimeout((int) quiet.toMillis());
        byte[] buffer = new byte[65_536];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return received;
            }
            received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void datagramsUpToTheUdpLimitArriveWholeAndAreAnswered() throws Exception {
        UdpEndpoint mg = endpoint(ParserLimits.DEFAULT, EndpointLimits.DEFAULT, UnknownPeers.DROP, peer -> true);
        try (DatagramSocket mgc = new DatagramSocket(ANY)) {
            for (int size : new int[] {2_367, 10 * 1024, 60 * 1024}) {
                String add = largeAdd(size, size);
                byte[] bytes = add.getBytes(StandardCharsets.US_ASCII);
                assertThat(bytes.length).isBetween(size - 200, size);
                mgc.send(new DatagramPacket(bytes, bytes.length, mg.localAddress()));
                List<String> replies = receiveAll(mgc, Duration.ofSeconds(2));
                assertThat(replies).singleElement().satisfies(reply -> assertThat(reply).contains("P=" + size + "{").contains("A=ip/1").doesNotContain("ER="));
                String expected = add.substring(add.indexOf("Remote {\n") + 9, add.indexOf("} } } } } }")).strip();
                assertThat(remoteSdp(handled.getLast()).strip()).isEqualTo(expected);
            }
        }
    }

    @Test
    @Tag("H248-1")
    @WireTest
    void aDatagramLongerThanTheLimitIsRefusedNotParsedCutShort() throws Exception {
        UdpEndpoint mg = endpoint(new ParserLimits(4_096, 32), EndpointLimits.DEFAULT, UnknownPeers.DROP, peer -> true);
        try (DatagramSocket mgc = new DatagramSocket(ANY)) {
            byte[] bytes = largeAdd(5, 8_000).getBytes(StandardCharsets.US_ASCII);
            mgc.send(new DatagramPacket(bytes, bytes.length, mg.localAddress()));
            // the error names the limit: the datagram was read to one octet past it, not cut to a parseable prefix
            assertThat(receiveAll(mgc, Duration.ofSeconds(2))).singleElement().satisfies(reply -> assertThat(reply).contains("larger than the limit of 4096"));
            assertThat(handled).isEmpty();
            assertThat(mg.malformed()).isEqualTo(1);
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void aFloodFromOneHundredThousandSourcesKeepsThePeersBoundedAndTheHeapFlat() throws Exception {
        // the worst case for memory: an endpoint that admits every source, 256 peers at most. (An endpoint that admits
        // every source refuses new peers while the flood's replies are kept, LONG-TIMER: the gateway admits only its
        // configured MGCs, which is what keeps its MGC served; ControlPlaneAttackTest in module it shows that.)
        UdpEndpoint endpoint = endpoint(ParserLimits.DEFAULT, new EndpointLimits(256, Duration.ofMinutes(10), 10), UnknownPeers.DROP, peer -> true);
        UdpEndpoint pacer = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT, peer -> Optional.of(answering));
        open.add(pacer);
        List<ActionRequest> add = List.of(ActionRequest.of(ContextId.CHOOSE, List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));
        assertThat(pacer.request(endpoint.localAddress(), add).get(5, TimeUnit.SECONDS).actions()).hasSize(1);
        long before = heapAfterGc();
        byte[] request = "MEGACO/3 [127.0.0.1]:9\nTransaction = 1 { Context = $ { Add = ip/$ } }\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 100_000; i++) {
            // a source address of its own per datagram (127.10.0.0 on): a port the kernel hands out twice is no repeat
            InetAddress from = InetAddress.getByAddress(new byte[] {127, (byte) (10 + (i >> 16)), (byte) ((i >> 8) & 0xFF), (byte) (i & 0xFF)});
            try (DatagramChannel source = DatagramChannel.open()) {
                source.bind(new InetSocketAddress(from, 0));
                source.send(ByteBuffer.wrap(request), endpoint.localAddress());
            }
            if (i % 200 == 199) {
                // paced: the endpoint has read all sent so far (its receive buffer never overflows). A source got a place
                // (and its request ran) while there was one: the pacer, quiet, made room first, then each flood source
                // whose kept reply expired (LONG-TIMER); every other source was refused
                int sent = i + 1;
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.refused() + handled.size() - 1 >= sent);
                assertThat(endpoint.peerCount()).isLessThanOrEqualTo(256);
            }
        }
        long after = heapAfterGc();
        assertThat(endpoint.peerCount()).isEqualTo(256);
        assertThat(endpoint.refused() + handled.size() - 1).isEqualTo(100_000);
        assertThat(endpoint.refused()).isGreaterThan(90_000);
        assertThat(after - before).as("heap growth after GC (%d before, %d after)", before, after).isLessThan(8L << 20);
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void quietPeersMakeRoomForNewOnesAndIdleOnesAreForgotten() throws Exception {
        UdpEndpoint endpoint = endpoint(ParserLimits.DEFAULT, new EndpointLimits(4, Duration.ofSeconds(1), 0), UnknownPeers.DROP, peer -> true);
        // five sources that send garbage (parsed, answered with 400, nothing kept): each engine stays quiet
        List<DatagramSocket> sources = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                DatagramSocket source = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                sources.add(source);
                byte[] garbage = "not H.248".getBytes(StandardCharsets.US_ASCII);
                source.send(new DatagramPacket(garbage, garbage.length, endpoint.localAddress()));
                assertThat(receiveOne(source)).contains("ER=40");
            }
            assertThat(endpoint.peerCount()).isEqualTo(4); // the fifth took the place of the least recently heard
            assertThat(endpoint.refused()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.peerCount() == 0);
        } finally {
            sources.forEach(DatagramSocket::close);
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void repliesToUnknownSourcesAreRateLimited() throws Exception {
        UdpEndpoint endpoint = endpoint(ParserLimits.DEFAULT, new EndpointLimits(16, Duration.ofMinutes(10), 10), UnknownPeers.ANSWER_402, peer -> false);
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.5.0.1"), 0))) {
            byte[] request = "MEGACO/3 [127.0.0.1]:9\nTransaction = 1 { Context = $ { Add = ip/$ } }\n".getBytes(StandardCharsets.US_ASCII);
            long started = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                stranger.send(new DatagramPacket(request, request.length, endpoint.localAddress()));
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.refused() == 1_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            List<String> replies = receiveAll(stranger, Duration.ofMillis(500));
            assertThat(replies).allSatisfy(reply -> assertThat(reply).contains("ER=402"));
            assertThat(replies.size()).isEqualTo((int) endpoint.unauthorizedReplies()).isBetween(10, 10 + (int) Math.ceil(10 * seconds));
            assertThat(handled).isEmpty();
        }
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
