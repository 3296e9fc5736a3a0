package org.mediasec.gateway.mrfp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.conference.ConferenceMember;
import org.mediasec.msrp.conference.MemberSink;
import org.mediasec.msrp.conference.MsrpConference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MSRP conference focus of one MRFP conference (GW-4, RFC 7701) and the plain side of its members' streams:
 * each member gets a loopback port of its own that accepts one connection, its relay pair's (TLS-PSK or TCP
 * towards the UE), so the port says who is speaking. Runs on one event loop, the conference's.
 */
public final class MsrpConferenceFocus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MsrpConferenceFocus.class);
    /** What may wait for one member before it counts as not keeping up (then it is released, the others go on). */
    public static final int MAX_QUEUED_BYTES = 4 << 20;
    private static final MsrpLimits LIMITS = new MsrpLimits(16 * 1024, 64, Long.MAX_VALUE);

    private final EventLoop loop;
    private final MsrpConference conference = new MsrpConference();
    private final ParticipantPorts<String> ports;
    private final Map<String, Channel> connections = new HashMap<>();
    private final Map<String, ConferenceMember> expected = new HashMap<>();
    private boolean closed;

    /** On {@code loop}, whose transport's server channels are {@code serverChannelType}. */
    public MsrpConferenceFocus(EventLoop loop, Class<? extends ServerChannel> serverChannelType) {
        this.loop = loop;
        this.ports = new ParticipantPorts<>(loop, serverChannelType, MAX_QUEUED_BYTES);
    }

    /** Opens the member's port; completes with its address once it listens. */
    public CompletableFuture<InetSocketAddress> join(ConferenceMember member) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed || expected.containsKey(member.key())) {
                bound.completeExceptionally(new IllegalStateException(closed ? "the conference is closed" : member.key() + " already joined"));
                return;
            }
            expected.put(member.key(), member);
            ports.open(member.key(), () -> new Connection(member)).whenComplete((address, problem) -> {
                if (problem == null) {
                    bound.complete(address);
                } else {
                    expected.remove(member.key());
                    bound.completeExceptionally(problem);
                }
            });
        });
        return bound;
    }

    /** The member left (Subtract): what it was sending is aborted at the others. */
    public void leave(String key) {
        loop.execute(() -> {
            expected.remove(key);
            ports.close(key);
            Channel connection = connections.remove(key);
            if (connection != null) {
                connection.close();
            }
            conference.leave(key);
        });
    }

    @Override
    public void close() {
        loop.execute(() -> {
            closed = true;
            ports.closeAll();
            connections.values().forEach(Channel::close);
            connections.clear();
            expected.clear();
        });
    }

    /** One member's connection: its frames into the conference, the conference's frames out to it. */
    private final class Connection extends ChannelInboundHandlerAdapter implements MemberSink {
        private final ConferenceMember member;
        private final MsrpDecoder decoder = new MsrpDecoder(LIMITS);
        private Channel channel;
        private MsrpFrameListener frames;

        Connection(ConferenceMember member) {
            this.member = member;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            channel = context.channel();
            ports.close(member.key()); // one connection per port
            if (closed || connections.containsKey(member.key()) || expected.get(member.key()) != member) {
                channel.close();
                return;
            }
            connections.put(member.key(), channel);
            frames = conference.join(member, this);
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            try {
                if (frames != null) {
                    ByteBuffer view = bytes.nioBufferCount() == 1 ? bytes.nioBuffer() : ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(bytes));
                    decoder.decode(view, frames);
                }
            } catch (MsrpParseException broken) {
                // RFC 4975 has no way to resynchronise a stream: the member is let go
                LOG.atInfo().addKeyValue("member", member.key()).log("MSRP stream closed: {}", broken.getMessage());
                context.close();
            } finally {
                bytes.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (connections.get(member.key()) == channel) {
                connections.remove(member.key());
                expected.remove(member.key());
                conference.leave(member.key());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.atDebug().addKeyValue("member", member.key()).log("MSRP connection failed: {}", cause.toString());
            context.close();
        }

        @Override
        public void write(ByteBuffer bytes) {
            channel.write(Unpooled.copiedBuffer(bytes));
        }

        @Override
        public void flush() {
            channel.flush();
        }

        @Override
        public boolean overloaded() {
            return !channel.isWritable();
        }

        @Override
        public void release(String reason) {
            LOG.atInfo().addKeyValue("member", member.key()).log("released: {}", reason);
            channel.close();
        }
    }
}
