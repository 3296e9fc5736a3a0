package org.mediasec.gateway.mrfp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * streams. Each participant gets a port of its own on the loopback address, which accepts exactly one connection:
 * the participant's relay pair (TLS-PSK or TCP towards the UE) connects there, so the port says which user the
 * connection belongs to (RFC 8855 9: the User ID in a message must be the connection's). Everything runs on one
 * event loop, which is what keeps the floor control server single-threaded.
 */
public final class FloorControlFocus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FloorControlFocus.class);
    /** A participant whose notifications pile up beyond this (it does not read) is dropped, not waited for. */
    private static final int MAX_QUEUED_BYTES = 64 * 1024;
    private static final int MAX_MESSAGE = 64 * 1024;

    private final EventLoop loop;
    private final FloorControlServer server;
    private final Map<Integer, Channel> connections = new HashMap<>();
    private final ParticipantPorts<Integer> ports;
    private boolean closed;

    /** On {@code loop}, whose transport's server channels are {@code serverChannelType}. */
    public FloorControlFocus(EventLoop loop, Class<? extends ServerChannel> serverChannelType, FloorPolicy policy) {
        this.loop = loop;
        this.server = new FloorControlServer(policy);
        this.ports = new ParticipantPorts<>(loop, serverChannelType, MAX_QUEUED_BYTES);
    }

    public FloorPolicy policy() {
        return server.policy();
    }

    /** Opens the participant's port; completes with its address once it listens. */
    public CompletableFuture<InetSocketAddress> join(FloorControlServer.User user) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                bound.completeExceptionally(new IllegalStateException("the conference is closed"));
                return;
            }
            server.addUser(user);
            ports.open(user.userId(), () -> new Participant(user.userId())).whenComplete((address, problem) -> {
                if (problem == null) {
                    bound.complete(address);
                } else {
                    server.removeUser(user.userId());
                    bound.completeExceptionally(problem);
                }
            });
        });
        return bound;
    }

    /** The participant left (Subtract, BYE): its requests end, floors pass on, the others hear of it. */
    public void leave(int userId) {
        loop.execute(() -> {
            ports.close(userId);
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
            ports.closeAll();
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
    private static void send(Channel channel, int userId, byte[] message) {
        if (!channel.isWritable()) {
            LOG.atInfo().addKeyValue("user", userId).log("BFCP participant does not read what it is sent: released");
            channel.close();
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(message));
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
            ports.close(userId); // one connection per port
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
