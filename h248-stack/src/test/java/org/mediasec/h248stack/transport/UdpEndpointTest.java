package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.testsupport.WireTest;

/** Two endpoints over real UDP sockets on 127.0.0.1 (H.248.1 Annex D.1). */
class UdpEndpointTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final TransactionTimers FAST = new TransactionTimers(Duration.ofMillis(100), Duration.ofMillis(400),
            Duration.ofSeconds(5), Duration.ofMillis(200), 10);
    private static final List<ActionRequest> ADD = List.of(ActionRequest.of(ContextId.CHOOSE,
            List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));

    private final AtomicInteger handled = new AtomicInteger();
    private UdpEndpoint mg;
    private UdpEndpoint mgc;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    private RequestHandler answering(Duration delay) {
        return request -> {
            handled.incrementAndGet();
            CompletableFuture<Transaction.TransactionReply> reply = new CompletableFuture<>();
            Transaction.TransactionReply answer = Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(ContextId.of(1),
                    List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of())))));
            executor.schedule(() -> reply.complete(answer), delay.toMillis(), TimeUnit.MILLISECONDS);
            return reply;
        };
    }

    private void start(Duration handlerDelay) throws Exception {
        RequestHandler mgHandler = answering(handlerDelay);
        mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST, peer -> Optional.of(mgHandler));
        mgc = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, FAST, peer -> Optional.of(request -> new CompletableFuture<>()));
    }

    @AfterEach
    void stop() {
        if (mg != null) {
            mg.close();
        }
        if (mgc != null) {
            mgc.close();
        }
        executor.shutdownNow();
    }

    @Test
    @WireTest
    void onASharedEpollLoopTheHandlerRunsOnThatLoopAndCloseLeavesItRunning() throws Exception {
        // issue 23: the gateway's contexts run on the bearer's loops; an endpoint on the same loop hands them each
        // request without waking another thread, and the reply goes out from there
        MultiThreadIoEventLoopGroup owner = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            EventLoop loop = owner.next();
            AtomicReference<Boolean> onLoop = new AtomicReference<>();
            mg = UdpEndpoint.bind(new UdpEndpoint.SharedLoop(loop, EpollDatagramChannel.class), ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                    org.mediasec.h248.text.ParserLimits.DEFAULT, PeerLimits.DEFAULT, EndpointLimits.DEFAULT, peer -> Optional.of(request -> {
                        onLoop.set(loop.inEventLoop());
                        return answering(Duration.ZERO).onTransactionRequest(request);
                    }));
            mgc = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, FAST, peer -> Optional.of(request -> new CompletableFuture<>()));

            Transaction.TransactionReply reply = mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);

            assertThat(reply.actions().get(0).contextId()).isEqualTo(ContextId.of(1));
            assertThat(onLoop.get()).isTrue();
            mg.close();
            mg = null;
            assertThat(owner.isShuttingDown()).isFalse();
            assertThat(loop.submit(() -> 7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
        } finally {
            owner.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void requestAndReplyOverLoopback() throws Exception {
        start(Duration.ZERO);

        Transaction.TransactionReply reply = mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);

        assertThat(reply.actions().get(0).contextId()).isEqualTo(ContextId.of(1));
        assertThat(reply.immAckRequired()).isFalse(); // we acknowledge unasked (D.1.4), see below
        assertThat(handled.get()).isEqualTo(1);
    }

    @Test
    @Tag("H248-3")
    @WireTest
    void theRequestersAcknowledgementRidesOnItsNextRequestOrGoesAloneAndFreesTheRepliesKept() throws Exception {
        start(Duration.ZERO);
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        mg.tap((direction, protocol, local, remote, text) -> {
            if (direction == WireTap.Direction.RECEIVED) {
                received.add(new String(text, StandardCharsets.UTF_8));
            }
        });
        mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);
        mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);

        List<Transaction> first = H248TextParser.parse(received.poll(5, TimeUnit.SECONDS).getBytes(StandardCharsets.UTF_8)).transactions();
        List<Transaction> second = H248TextParser.parse(received.poll(5, TimeUnit.SECONDS).getBytes(StandardCharsets.UTF_8)).transactions();
        assertThat(first).singleElement().isInstanceOf(Transaction.TransactionRequest.class);
        long firstId = ((Transaction.TransactionRequest) first.get(0)).transactionId();
        assertThat(second).hasSize(2);
        assertThat(second.get(0)).isEqualTo(new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(firstId))));
        assertThat(second.get(1)).isInstanceOf(Transaction.TransactionRequest.class);
        long secondId = ((Transaction.TransactionRequest) second.get(1)).transactionId();

        // nothing more to send: the second reply's acknowledgement goes alone, once, after the ack delay
        String alone = received.poll(5, TimeUnit.SECONDS);
        assertThat(H248TextParser.parse(alone.getBytes(StandardCharsets.UTF_8)).transactions())
                .containsExactly(new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(secondId))));
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(mgc.statistics(mg.localAddress()).orElseThrow().responseAcksPiggybacked).isEqualTo(1);
        assertThat(mgc.statistics(mg.localAddress()).orElseThrow().responseAcksSent).isEqualTo(2);
        // and the MG keeps no reply for the MGC
        assertThat(mg.repliesKept(mgc.localAddress())).contains(0);
    }

    @Test
    @Tag("H248-2")
    @Tag("H248-3")
    @WireTest
    void aReplayedDatagramGetsTheCachedReplyAndRunsOnce() throws Exception {
        start(Duration.ZERO);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            byte[] request = "!/3 [127.0.0.1]:9 T=55{C=${A=ip/$}}".getBytes(StandardCharsets.US_ASCII);
            String first = exchange(socket, request);
            String second = exchange(socket, request);

            assertThat(second).isEqualTo(first);
            assertThat(H248TextParser.parse(first).transactions().get(0)).isInstanceOf(Transaction.TransactionReply.class);
            assertThat(handled.get()).isEqualTo(1);
        }
    }

    @Test
    @Tag("H248-2")
    @Tag("H248-3")
    @WireTest
    void lostDatagramsAreRecoveredByRetransmission() throws Exception {
        start(Duration.ZERO);
        try (LossyRelay relay = new LossyRelay(mg.localAddress(), 3)) { // drops every 3rd datagram towards the MG (requests and acks)
            for (int i = 0; i < 5; i++) {
                Transaction.TransactionReply reply = mgc.request(relay.address(), ADD).get(5, TimeUnit.SECONDS);
                assertThat(reply.error()).isEmpty();
            }
            assertThat(relay.dropped()).isGreaterThan(0);
            assertThat(mgc.statistics(relay.address()).orElseThrow().retransmissions).isGreaterThan(0);
        }
        assertThat(handled.get()).isEqualTo(5);
    }

    @Test
    @Tag("H248-3")
    @WireTest
    void aSlowHandlerSendsPendingAndTheReplyStillArrives() throws Exception {
        start(Duration.ofMillis(900));

        Transaction.TransactionReply reply = mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);

        assertThat(reply.error()).isEmpty();
        assertThat(mgc.statistics(mg.localAddress()).orElseThrow().pendingsReceived).isGreaterThanOrEqualTo(1);
        assertThat(handled.get()).isEqualTo(1);
    }

    @Test
    @Tag("H248-6")
    @Tag("H248-2")
    @WireTest
    void unknownPeersAreRefusedWith402AndGarbageGetsItsErrorCode() throws Exception {
        mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                peer -> peer.getPort() % 2 == 0 ? Optional.of(answering(Duration.ZERO)) : Optional.empty());
        try (DatagramSocket even = evenPortSocket(); DatagramSocket odd = new DatagramSocket(oddPort(), InetAddress.getLoopbackAddress())) {
            Message refusal = H248TextParser.parse(exchange(odd, "!/3 [127.0.0.1]:9 T=1{C=${A=ip/$}}".getBytes(StandardCharsets.US_ASCII)));
            assertThat(((MessageBody.MessageError) refusal.body()).error().code()).isEqualTo(402);
            assertThat(mg.refused()).isEqualTo(1);

            Message garbage = H248TextParser.parse(exchange(even, "\u0000\u0001 hello".getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(((MessageBody.MessageError) garbage.body()).error().code()).isEqualTo(400);

            Message badTransaction = H248TextParser.parse(exchange(even, "!/3 [127.0.0.1]:9 T=77{C=${Frob=ip/$}}".getBytes(StandardCharsets.US_ASCII)));
            Transaction.TransactionReply reply = (Transaction.TransactionReply) badTransaction.transactions().get(0);
            assertThat(reply.transactionId()).isEqualTo(77);
            assertThat(reply.error().orElseThrow().code()).isEqualTo(403);
            assertThat(mg.malformed()).isEqualTo(2);
        }
        assertThat(handled.get()).isZero();
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void unknownPeersCanBeDroppedSilently() throws Exception {
        mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST, peer -> Optional.empty());
        mg.unknownPeers(UnknownPeers.DROP);
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] request = "!/3 [127.0.0.1]:9 T=1{C=${A=ip/$}}".getBytes(StandardCharsets.US_ASCII);
            stranger.send(new DatagramPacket(request, request.length, mg.localAddress()));
            stranger.setSoTimeout(500);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.receive(new DatagramPacket(new byte[100], 100)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
        assertThat(mg.refused()).isEqualTo(1);
        assertThat(handled.get()).isZero();
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void worksOverIpv6() throws Exception {
        InetSocketAddress any6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        RequestHandler mgHandler = answering(Duration.ZERO);
        try {
            mg = UdpEndpoint.bind(any6, new MessageId.Ipv6Address("::1", java.util.OptionalInt.of(2944)), 3, FAST, peer -> Optional.of(mgHandler));
        } catch (Exception noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback on this machine: " + noIpv6);
        }
        mgc = UdpEndpoint.bind(any6, new MessageId.Ipv6Address("::1", java.util.OptionalInt.of(2945)), 3, FAST, peer -> Optional.of(request -> new CompletableFuture<>()));
        Transaction.TransactionReply reply = mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);
        assertThat(reply.actions().get(0).contextId()).isEqualTo(ContextId.of(1));
    }

    private static DatagramSocket evenPortSocket() throws Exception {
        while (true) {
            DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            if (socket.getLocalPort() % 2 == 0) {
                return socket;
            }
            socket.close();
        }
    }

    private static int oddPort() throws Exception {
        while (true) {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                if (socket.getLocalPort() % 2 == 1) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private String exchange(DatagramSocket socket, byte[] request) throws Exception {
        socket.setSoTimeout(3000);
        socket.send(new DatagramPacket(request, request.length, mg.localAddress()));
        byte[] buffer = new byte[65536];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        socket.receive(answer);
        return new String(buffer, 0, answer.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    @Tag("H248-2")
    @Tag("H248-3")
    @WireTest
    void aFloodingPeerGets510BeyondItsLimitsAndOthersAreStillServed() throws Exception {
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress flooderAddress = (InetSocketAddress) flooder.getLocalSocketAddress();
            RequestHandler answeringHandler = answering(Duration.ZERO);
            mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST, org.mediasec.h248.text.ParserLimits.DEFAULT,
                    new org.mediasec.h248stack.transaction.PeerLimits(50, 100),
                    peer -> Optional.of(peer.equals(flooderAddress) ? request -> new CompletableFuture<>() : answeringHandler));
            mgc = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, FAST, peer -> Optional.of(request -> new CompletableFuture<>()));
            flooder.setSoTimeout(3000);
            flooder.setReceiveBufferSize(1 << 20);
            int refused = 0;
            for (int id = 1; id <= 1_000; id++) {
                byte[] request = ("!/3 [127.0.0.1]:9 T=" + id + "{C=${A=ip/$}}").getBytes(StandardCharsets.US_ASCII);
                flooder.send(new DatagramPacket(request, request.length, mg.localAddress()));
                if (id % 50 == 0) { // read what came back so far, so that no answer is lost in our own socket buffer
                    refused += drain(flooder);
                }
            }
            refused += drain(flooder);
            assertThat(mg.statistics(flooderAddress).orElseThrow().refusedOverLimits).isEqualTo(950);
            assertThat(refused).isEqualTo(950);

            // limits are per peer: another peer is answered
            Transaction.TransactionReply reply = mgc.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);
            assertThat(reply.error()).isEmpty();
        }
    }

    /** Reads the answers waiting in the socket; returns how many were 510s. */
    private static int drain(DatagramSocket socket) throws Exception {
        int refused = 0;
        socket.setSoTimeout(200);
        byte[] buffer = new byte[2048];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (java.net.SocketTimeoutException e) {
                return refused;
            }
            Message answer = H248TextParser.parse(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            for (Transaction transaction : answer.transactions()) {
                if (transaction instanceof Transaction.TransactionReply reply && reply.error().map(e -> e.code() == 510).orElse(false)) {
                    refused++;
                }
            }
        }
    }
}
