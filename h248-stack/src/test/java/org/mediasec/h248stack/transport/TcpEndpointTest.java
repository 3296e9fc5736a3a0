package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionException;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.testsupport.WireTest;

/** H.248 over real TCP connections on 127.0.0.1 with TPKT framing (H.248.1 Annex D.2). */
class TcpEndpointTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final List<ActionRequest> ADD = List.of(ActionRequest.of(ContextId.CHOOSE,
            List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));
    private final AtomicInteger handled = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();

    private final RequestHandler answering = request -> {
        handled.incrementAndGet();
        return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(),
                List.of(ActionReply.of(ContextId.of(7), List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of()))))));
    };

    private <T extends AutoCloseable> T opened(T resource) {
        open.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
    }

    private TcpEndpoint listener(Duration idle, boolean admit) throws Exception {
        return opened(TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, idle,
                peer -> admit ? Optional.of(answering) : Optional.empty()));
    }

    @Test
    @Tag("H248-3")
    @Tag("H248-2")
    @WireTest
    void requestsAndRepliesOverOneConnection() throws Exception {
        TcpEndpoint mg = listener(Duration.ofSeconds(30), true);
        TcpEndpoint mgc = opened(TcpEndpoint.connect(mg.localAddress(), MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT,
                Duration.ofSeconds(30), request -> new CompletableFuture<>()));

        List<CompletableFuture<Transaction.TransactionReply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(mgc.request(mg.localAddress(), ADD));
        }
        for (CompletableFuture<Transaction.TransactionReply> reply : replies) {
            Transaction.TransactionReply answer = reply.get(5, TimeUnit.SECONDS);
            assertThat(answer.actions().get(0).contextId()).isEqualTo(ContextId.of(7));
            assertThat(answer.immAckRequired()).isFalse(); // reliable transport: no acks asked
        }
        assertThat(handled.get()).isEqualTo(20);
    }

    @Test
    @Tag("H248-6")
    @Tag("H248-2")
    @WireTest
    void unknownPeersGet402AndAreDisconnected() throws Exception {
        TcpEndpoint mg = listener(Duration.ofSeconds(30), false);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mg.localAddress().getPort())) {
            socket.setSoTimeout(3000);
            Message answer = H248TextParser.parse(readFrame(socket.getInputStream()));
            assertThat(((MessageBody.MessageError) answer.body()).error().code()).isEqualTo(402);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(mg.refused()).isEqualTo(1);
    }

    @Test
    @Tag("H248-6")
    @Tag("H248-2")
    @WireTest
    void badTextIsAnsweredAndBadFramingCloses() throws Exception {
        TcpEndpoint mg = listener(Duration.ofSeconds(30), true);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mg.localAddress().getPort())) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(TpktFrames.frame("!/3 [127.0.0.1]:9 T=12{C=${Frob=ip/$}}"));
            Message answer = H248TextParser.parse(readFrame(socket.getInputStream()));
            assertThat(((Transaction.TransactionReply) answer.transactions().get(0)).error().orElseThrow().code()).isEqualTo(403);

            out.write(TpktFrames.frame("!/3 [127.0.0.1]:9 T=13{C=${A=ip/$}}")); // the connection still works
            Message reply = H248TextParser.parse(readFrame(socket.getInputStream()));
            assertThat(((Transaction.TransactionReply) reply.transactions().get(0)).transactionId()).isEqualTo(13);

            out.write(new byte[] {9, 9, 9, 9, 9}); // not TPKT: closed
            out.flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(handled.get()).isEqualTo(1);
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void aSilentConnectionIsClosed() throws Exception {
        TcpEndpoint mg = listener(Duration.ofMillis(300), true);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mg.localAddress().getPort())) {
            socket.setSoTimeout(3000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> mg.closedIdle() == 1 && mg.connections() == 0);
    }

    @Test
    @Tag("H248-3")
    @Tag("H248-2")
    @WireTest
    void openRequestsFailWhenTheConnectionGoes() throws Exception {
        TcpEndpoint mg = opened(TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, Duration.ofSeconds(30),
                peer -> Optional.of(request -> new CompletableFuture<>())));
        TcpEndpoint mgc = TcpEndpoint.connect(mg.localAddress(), MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT,
                Duration.ofSeconds(30), request -> new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(2)).until(() -> mg.connections() == 1);
        CompletableFuture<Transaction.TransactionReply> pending = mgc.request(mg.localAddress(), ADD);

        mg.close();

        try {
            pending.get(5, TimeUnit.SECONDS);
            throw new AssertionError("completed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(TransactionException.class,
                    t -> assertThat(t.reason()).isEqualTo(TransactionException.Reason.TRANSPORT_LOST));
        } finally {
            mgc.close();
        }
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void theApplicationHearsOfConnectAndDisconnect() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestHandler user = new RequestHandler() {
            @Override
            public CompletableFuture<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
                return answering.onTransactionRequest(request).toCompletableFuture();
            }

            @Override
            public void onConnect(InetSocketAddress peer) {
                events.add("connect " + peer.getPort());
            }

            @Override
            public void onDisconnect(InetSocketAddress peer, String reason) {
                events.add("disconnect " + peer.getPort() + " " + reason);
            }
        };
        TcpEndpoint mg = opened(TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, Duration.ofSeconds(30),
                peer -> Optional.of(user)));
        int port;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mg.localAddress().getPort())) {
            port = socket.getLocalPort();
            await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 1);
            assertThat(mg.peers()).extracting(InetSocketAddress::getPort).containsExactly(port);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("connect " + port, "disconnect " + port + " TCP connection closed");
    }

    @Test
    @Tag("H248-3")
    @Tag("H248-2")
    @WireTest
    void aFloodingPeerGets510BeyondItsLimitsAndOthersAreStillServed() throws Exception {
        // the flooder's requests never finish; a second peer's requests are answered at once
        AtomicInteger connectionsSeen = new AtomicInteger();
        TcpEndpoint mg = opened(TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT,
                new org.mediasec.h248stack.transaction.PeerLimits(20, 20), Duration.ofSeconds(30),
                peer -> Optional.of(connectionsSeen.incrementAndGet() == 1 ? request -> new CompletableFuture<>() : answering)));
        try (Socket flooder = new Socket(InetAddress.getLoopbackAddress(), mg.localAddress().getPort())) {
            flooder.setSoTimeout(5000);
            OutputStream out = flooder.getOutputStream();
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int id = 1; id <= 2_000; id++) {
                burst.write(TpktFrames.frame("!/3 [127.0.0.1]:9 T=" + id + "{C=${A=ip/$}}"));
            }
            out.write(burst.toByteArray());
            out.flush();
            int refused = 0;
            for (int i = 0; i < 1_980; i++) {
                Message answer = H248TextParser.parse(readFrame(flooder.getInputStream()));
                Transaction.TransactionReply reply = (Transaction.TransactionReply) answer.transactions().get(0);
                assertThat(reply.error().orElseThrow().code()).isEqualTo(510);
                refused++;
            }
            assertThat(refused).isEqualTo(1_980);

            TcpEndpoint polite = TcpEndpoint.connect(mg.localAddress(), MessageId.ipv4("127.0.0.1", 2946), 3, TransactionTimers.DEFAULT,
                    Duration.ofSeconds(30), request -> new CompletableFuture<>());
            try (polite) {
                await().atMost(Duration.ofSeconds(2)).until(() -> mg.connections() == 2);
                // limits are per peer: the polite peer is answered
                Transaction.TransactionReply reply = polite.request(mg.localAddress(), ADD).get(5, TimeUnit.SECONDS);
                assertThat(reply.error()).isEmpty();
            }
        }
    }

    private static byte[] readFrame(InputStream in) throws Exception {
        DataInputStream data = new DataInputStream(in);
        assertThat(data.readUnsignedByte()).isEqualTo(3);
        data.readUnsignedByte();
        int length = data.readUnsignedShort();
        byte[] body = new byte[length - 4];
        data.readFully(body);
        return body;
    }
}
