package org.mediasec.gateway.mrfp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.mediasec.bearer.TerminatedStreams;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpException;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpStreamDecoder;
import org.mediasec.bfcp.server.FloorControlServer;
import org.mediasec.bfcp.server.FloorPolicy;
import org.mediasec.bfcp.server.Outbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BFCP floor control server of one MRFP conference (GW-4, RFC 8855) and the plain side of its participants'
 * streams. Each participant's handler goes on its own connection (TLS-PSK or TCP towards the UE, a terminated
 * relay pair), after the TLS layer: the handler says which user the connection belongs to (RFC 8855 9: the User ID
 * in a message must be the connection's), with no port another process could reach first. Everything runs on one
 * event loop, the participants' connections' too, which is what keeps the floor control server single-threaded.
 */
public final class FloorControlFocus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FloorControlFocus.class);
    /** A participant whose notifications pile up beyond this (it does not read) is dropped, not waited for. */
    private static final int MAX_QUEUED_BYTES = 64 * 1024;
    private static final int MAX_MESSAGE = 64 * 1024;

    private final EventLoop loop;
    private final FloorControlServer server;
    private final Map<Integer, Channel> connections = new HashMap<>();
    private boolean closed;

    /** On {@code loop}, the loop of the participants' connections. */
    public FloorControlFocus(EventLoop loop, FloorPolicy policy) {
        this.loop = loop;
        this.server = new FloorControlServer(policy);
    }

    public FloorPolicy policy() {
        return server.policy();
    }

    /**
     * The participant joins; completes with the handler for its connection (one connection: a second is closed),
     * to go on that connection, on this focus's loop, once its TLS handshake is done.
     */
    public CompletableFuture<Supplier<ChannelHandler>> join(FloorControlServer.User user) {
        CompletableFuture<Supplier<ChannelHandler>> joined = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                joined.completeExceptionally(new IllegalStateException("the conference is closed"));
                return;
            }
            server.addUser(user);
            joined.complete(() -> new Participant(user.userId()));
        });
        return joined;
    }

    /** The participant left (Subtract, BYE): its requests end, floors pass on, the others hear of it. */
    public void leave(int userId) {
        loop.execute(() -> {
            Channel connection = connections.remove(userId);
            if (connection != null) {
                connection.close();
            }
            if (server.user(userId).isPresent()) {
                deliver(server.removeUser(userId));
            }
        });
    }

    @Override
    public void close() {
        loop.execute(() -> {
            closed = true;
            connections.values().forEach(Channel::close);
            connections.clear();
        });
    }

    private void deliver(List<Outbound> messages) {
        for (Outbound outbound : messages) {
            Channel channel = connections.get(outbound.userId());
            if (channel == null) {
                continue; // not connected (yet, or any more): BFCP state is queried again after connecting
            }
            send(channel, outbound.userId(), BfcpEncoder.encode(outbound.message()));
        }
    }

    /**
     * Every write to a participant, answers and Error replies included: one that does not read what it was sent is
     * released rather than queued for (a participant cannot grow the focus's memory by never reading).
     */
    private void send(Channel channel, int userId, byte[] message) {
        if (!channel.isWritable()) {
            releaseNotReading(userId, channel);
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(message));
    }

    /**
     * GW-8: the participant does not read what it is sent. Its connection is reset ({@link TerminatedStreams}) and
     * what it still sent is not handled; it leaves the floors once what is being delivered now has gone out, so that
     * the others hear of its leaving after, not before, what was decided while it was there. Once per connection.
     */
    private void releaseNotReading(int userId, Channel channel) {
        if (connections.get(userId) != channel) {
            return; // let go already (or not this connection's user any more)
        }
        connections.remove(userId);
        LOG.atInfo().addKeyValue("user", userId).log("BFCP participant does not read what it is sent: released");
        TerminatedStreams.releaseNotReading(channel, "BFCP participant " + userId + " does not read what it is sent: more than "
                + MAX_QUEUED_BYTES + " bytes wait for it");
        FloorControlServer.User leaving = server.user(userId).orElse(null);
        loop.execute(() -> {
            if (leaving != null && server.user(userId).orElse(null) == leaving) {
                deliver(server.removeUser(userId));
            }
        });
    }

    /** One participant's connection: BFCP messages in, the server's answers and notifications out. */
    private final class Participant extends ChannelInboundHandlerAdapter implements BfcpStreamDecoder.Listener {
        private final int userId;
        private final BfcpStreamDecoder decoder = new BfcpStreamDecoder(MAX_MESSAGE);
        private Channel channel;

        Participant(int userId) {
            this.userId = userId;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            channel = context.channel();
            // what may wait for this participant: the connection's write queue is the focus's now (GW-8)
            channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(MAX_QUEUED_BYTES / 2, MAX_QUEUED_BYTES));
            if (closed || connections.containsKey(userId) || server.user(userId).isEmpty()) {
                channel.close();
                return;
            }
            connections.put(userId, channel);
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            try {
                if (connections.get(userId) != channel) {
                    return; // released (or never admitted): what it still sends is not handled
                }
                byte[] array = ByteBufUtil.getBytes(bytes);
                decoder.decode(array, 0, array.length, this);
            } catch (BfcpException framingLost) {
                LOG.atInfo().addKeyValue("user", userId).log("BFCP stream closed: {}", framingLost.getMessage());
                context.close();
            } finally {
                bytes.release();
            }
        }

        @Override
        public void message(BfcpMessage message) {
            if (connections.get(userId) != channel) {
                return; // released while the rest of what it sent was being decoded
            }
            List<Outbound> out;
            try {
                out = server.handle(userId, message);
            } catch (RuntimeException bug) {
                // the server is meant to be total; should it not be, this participant gets an Error and the others go on
                LOG.atWarn().addKeyValue("user", userId).setCause(bug).log("floor control server failed on {}", message.primitive().rfcName());
                out = List.of(new Outbound(userId, message.error(org.mediasec.bfcp.BfcpErrorCode.GENERIC_ERROR, "internal error")));
            }
            deliver(out);
        }

        @Override
        public void refused(BfcpException refused) {
            // RFC 8855 13: an Error answers the message; without a readable header there is nothing to answer
            refused.errorReply().ifPresentOrElse(
                    error -> send(channel, userId, BfcpEncoder.encode(error)),
                    () -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
        }

        /**
         * GW-8: the participant's queue passed {@link #MAX_QUEUED_BYTES}: it is released now, not at the next write.
         * The relay below stops reading a connection that cannot take more, so a participant that provoked its
         * answers and then sends nothing more (or whose last bytes were read just before the queue filled) would
         * otherwise never be written to again, never released, and its sender would block on a full window.
         */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            if (!context.channel().isWritable()) {
                releaseNotReading(userId, context.channel());
            }
            context.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (connections.get(userId) == channel) {
                connections.remove(userId);
                // the participant's stream ended (FIN, alert, release): it leaves the floors to the others
                if (server.user(userId).isPresent()) {
                    deliver(server.removeUser(userId));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.atDebug().addKeyValue("user", userId).log("BFCP connection failed: {}", cause.toString());
            context.close();
        }
    }
}
