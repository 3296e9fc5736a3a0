package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.testsupport.WireTest;

/** The TPKT path's size limit on a real TCP socket: a message up to TPKT's 65,531 octets arrives whole. */
class TcpLargeMessageTest {

    private final List<Transaction.TransactionRequest> handled = new CopyOnWriteArrayList<>();
    private TcpEndpoint listener;

    @AfterEach
    void close() {
        listener.close();
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void messagesUpToTheTpktLimitArriveWholeAndAreAnswered() throws Exception {
        RequestHandler answering = request -> {
            handled.add(request);
            return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(ContextId.of(1),
                    List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of()))))));
        };
        listener = TcpEndpoint.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MessageId.ipv4("127.0.0.1", 2944), 3,
                TransactionTimers.DEFAULT, Duration.ofMinutes(1), peer -> Optional.of(answering));
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort())) {
            peer.setSoTimeout(10_000);
            OutputStream out = peer.getOutputStream();
            DataInputStream in = new DataInputStream(peer.getInputStream());
            // 65,531 octets is the most a TPKT packet holds (16-bit length, 4 of them the header)
            for (int size : new int[] {10 * 1024, 65_531}) {
                byte[] message = UdpEndpointLimitsTest.largeAdd(size, size).getBytes(StandardCharsets.US_ASCII);
                byte[] padded = new byte[size];
                System.arraycopy(message, 0, padded, 0, message.length);
                java.util.Arrays.fill(padded, message.length, size, (byte) '\n'); // trailing white space: still one message
                out.write(new byte[] {3, 0, (byte) ((size + 4) >> 8), (byte) (size + 4)});
                out.write(padded);
                out.flush();
                assertThat(in.readUnsignedByte()).isEqualTo(3);
                in.readUnsignedByte();
                byte[] reply = new byte[in.readUnsignedShort() - 4];
                in.readFully(reply);
                assertThat(new String(reply, StandardCharsets.US_ASCII)).contains("P=" + size + "{").doesNotContain("ER=");
            }
            assertThat(handled).hasSize(2);
        }
    }
}
