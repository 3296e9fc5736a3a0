package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.tls.psk.PskSocket;
import org.mediasec.testsupport.WireTest;

/**
 * A terminated pair (the MRFP's focus reached in-process): no socket on side B; the owner's handler on leg A's own
 * connection, after its TLS layer, reads and writes the clear bytes. Real sockets towards the peer: a plain TCP
 * client, and Bouncy Castle's blocking TLS-PSK client. Same events (A's), one Released with its reason, statistics,
 * hold, and A's orderly close whichever side ends the stream.
 */
@Timeout(60)
class TerminatedPairTest {

    private static final byte[] TEK = HexFormat.of().parseHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    /** What the handlers saw, in order, on the pair's loop. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        plane.close();
    }

    /**
     * Greets when active, answers each read with it in upper case; "bye" closes the stream after the answer; the
     * channel it sees is leg A's (the handler's writes go out through A's TLS layer).
     */
    private final class Upper extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext context) {
            seen.add("active");
            context.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            String text = bytes.toString(StandardCharsets.US_ASCII);
            bytes.release();
            seen.add("read " + text.strip());
            context.writeAndFlush(Unpooled.copiedBuffer(text.toUpperCase(), StandardCharsets.US_ASCII));
            if (text.contains("bye")) {
                context.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            seen.add("inactive");
        }
    }

    /** Answers the first read with more than the peer can take, until the write queue is full, then lets the peer go (GW-8). */
    private final class Flooder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ((ByteBuf) message).release();
            while (context.channel().isWritable()) {
                context.writeAndFlush(Unpooled.wrappedBuffer(new byte[4096]));
            }
            TerminatedStreams.releaseNotReading(context.channel(), "the test's peer does not read");
        }
    }

    /**
     * GW-8: the handler lets go a peer that does not read ({@link TerminatedStreams#releaseNotReading}): the pair is
     * released once, as PEER_NOT_READING on side B, and the connection is reset. The peer sent one request and then
     * neither read nor wrote; when it reads at last it finds a reset, not the rest of what was queued for it and a FIN
     * (which a close in order, or a plain close, would leave a socket of ours behind to send, once its window opens).
     */
    @Test
    @Tag("GW-8")
    @WireTest
    void aPeerThatDoesNotReadIsLetGoWithAReset() throws Exception {
        RelayPair pair = plane.open(plane.nextLoop(), LegSpec.passive(ANY_PORT, FROM_LOOPBACK), Flooder::new, events::add).get(5, TimeUnit.SECONDS);
        try (Socket ue = new Socket()) {
            ue.setReceiveBufferSize(4096);
            ue.connect(pair.localAddress(Side.A));
            ue.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.side()).isEqualTo(Side.B);
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_NOT_READING);
            ue.setSoTimeout(10_000);
            InputStream in = ue.getInputStream();
            byte[] buffer = new byte[8192];
            assertThatThrownBy(() -> {
                while (in.read(buffer) != -1) {
                    // what reached it before the reset
                }
            }).isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
        }
    }

    private RelayPair open(LegSpec ue) throws Exception {
        return plane.open(plane.nextLoop(), ue, Upper::new, events::add).get(5, TimeUnit.SECONDS);
    }

    private static String line(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            assertThat(c).as("the stream ended before a whole line").isNotEqualTo(-1);
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void aPlainPeerTalksToTheHandlerAndItsFinReleasesThePairOnce() throws Exception {
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK));
        assertThat(pair.terminated()).isTrue();
        try (Socket ue = new Socket()) {
            ue.connect(pair.localAddress(Side.A));
            InputStream in = ue.getInputStream();
            assertThat(line(in)).isEqualTo("hello");
            ue.getOutputStream().write("chat\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("CHAT");
            ue.shutdownOutput(); // FIN: duplex close (TCP-8), the handler hears the stream end
            assertThat(in.read()).isEqualTo(-1);
        }
        BearerEvent.Released released = OnlyRelease.of(pair, events);
        assertThat(released.side()).isEqualTo(Side.A);
        assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
        assertThat(events).filteredOn(e -> !(e instanceof BearerEvent.Released)).allMatch(e -> e.side() == Side.A)
                .anyMatch(BearerEvent.TcpEstablished.class::isInstance);
        assertThat(pair.bytesReceived(Side.A)).isEqualTo(5);
        assertThat(pair.bytesReceived(Side.B)).isEqualTo(11);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("inactive"));
        assertThat(seen).containsExactly("active", "read chat", "inactive");
    }

    @Test
    void aPskPeerTalksToTheHandlerInClearAndTheHandlersCloseEndsItsTlsSessionInOrder() throws Exception {
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withPsk(new LegSpec.PskTls(false, TEK, Duration.ofSeconds(10))));
        InetSocketAddress at = new InetSocketAddress(RelayTest.LOOPBACK, pair.localAddress(Side.A).getPort());
        try (PskSocket ue = PskSocket.connect(at, TEK, Duration.ofSeconds(10))) {
            InputStream in = ue.in();
            assertThat(line(in)).isEqualTo("hello");
            ue.out().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            ue.out().flush();
            // the answer written before the handler's close arrives, then close_notify: the end of the stream
            assertThat(line(in)).isEqualTo("BYE");
            assertThat(in.read()).isEqualTo(-1);
        }
        BearerEvent.Released released = OnlyRelease.of(pair, events);
        assertThat(released.side()).isEqualTo(Side.B);
        assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
        assertThat(events).anyMatch(e -> e instanceof BearerEvent.TlsEstablished tls && tls.side() == Side.A && tls.cipherSuite().startsWith("TLS_PSK_"));
        assertThat(pair.bytesReceived(Side.A)).isEqualTo(4);
        assertThat(pair.bytesReceived(Side.B)).isEqualTo(10);
    }

    @Test
    void whatTheHandlerWritesWhileSideBIsHeldWaitsAndThenGoesInOrder() throws Exception {
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK));
        try (Socket ue = new Socket()) {
            ue.connect(pair.localAddress(Side.A));
            InputStream in = ue.getInputStream();
            assertThat(line(in)).isEqualTo("hello");
            pair.setFlow(Side.B, false);
            pair.heldBytes().get(5, TimeUnit.SECONDS); // a task on the pair's loop after setFlow's: the hold applies from now on
            ue.getOutputStream().write("one\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> pair.heldBytes().get() >= 4); // with the queue's own overhead per write
            assertThat(in.available()).isZero();
            pair.setFlow(Side.B, true);
            assertThat(line(in)).isEqualTo("ONE");
            await().atMost(Duration.ofSeconds(5)).until(() -> pair.heldBytes().get() == 0);
        }
        assertThat(OnlyRelease.of(pair, events).side()).isEqualTo(Side.A);
    }

    @Test
    void theSideBOfATerminatedPairHasNoSocket() throws Exception {
        RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK));
        assertThat(pair.localFingerprint(Side.B)).isEmpty();
        assertThatThrownBy(() -> pair.localAddress(Side.B)).isInstanceOf(IllegalArgumentException.class);
        pair.release("test");
        assertThat(pair.released().get(5, TimeUnit.SECONDS).reason()).isEqualTo(ReleaseReason.RELEASED);
        assertThat(seen).isEmpty(); // the handler never came: the peer never connected
    }
}
