package org.mediasec.gateway.mrfp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.ServerChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The focus's loopback ports, one per participant, each accepting the one connection of that participant's relay
 * pair: the port says who is connected (docs/architecture.md). Used on the focus's event loop only.
 */
final class ParticipantPorts<K> {

    private final EventLoop loop;
    private final Class<? extends ServerChannel> serverChannelType;
    private final int maxQueuedBytes;
    private final Map<K, Channel> ports = new HashMap<>();

    /** @param serverChannelType the server channel type of {@code loop}'s transport (epoll or NIO) */
    ParticipantPorts(EventLoop loop, Class<? extends ServerChannel> serverChannelType, int maxQueuedBytes) {
        this.loop = loop;
        this.serverChannelType = serverChannelType;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Opens {@code key}'s port; its connection gets {@code handler}'s handler. Completes with the address once it listens. */
    CompletableFuture<InetSocketAddress> open(K key, Supplier<ChannelHandler> handler) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        ChannelFuture binding = new ServerBootstrap().group(loop).channel(serverChannelType)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(maxQueuedBytes / 2, maxQueuedBytes))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(handler.get());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        binding.addListener(done -> {
            if (done.isSuccess()) {
                ports.put(key, binding.channel());
                bound.complete((InetSocketAddress) binding.channel().localAddress());
            } else {
                bound.completeExceptionally(done.cause());
            }
        });
        return bound;
    }

    /** Closes {@code key}'s port: once its one connection came, or when the participant leaves. */
    void close(K key) {
        Channel port = ports.remove(key);
        if (port != null) {
            port.close();
        }
    }

    void closeAll() {
        ports.values().forEach(Channel::close);
        ports.clear();
    }
}
