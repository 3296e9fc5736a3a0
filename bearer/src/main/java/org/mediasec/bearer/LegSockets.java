package org.mediasec.bearer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.mediasec.traceability.Implements;

/**
 * The sockets of a leg and the options each gets: half-closure allowed (a FIN is an event, TCP-8), no Nagle delay,
 * and the write queue's high-water mark (GW-8). Thread rule: called on the pair's event loop.
 */
@Implements({"TCP-2", "TCP-9"})
final class LegSockets {

    private LegSockets() {}

    /** Binds a passive leg's listening socket; each connection accepted goes to {@code accepted}, which admits or refuses it (TCP-9). */
    static ChannelFuture listen(RelayPair pair, InetSocketAddress local, Consumer<Channel> accepted) {
        return new ServerBootstrap().group(pair.loop(), pair.loop()).channel(pair.plane().serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true) // the allocated port may still have TIME_WAIT connections
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(pair.config()))
                .childHandler(initializer(accepted))
                .bind(local);
    }

    /** Connects an active leg from {@code local} (port 0: the kernel's choice); {@code connected} gets the channel first. */
    static ChannelFuture connect(RelayPair pair, InetSocketAddress local, InetSocketAddress remote, Consumer<Channel> connected) {
        Bootstrap bootstrap = new Bootstrap();
        if (local.getPort() == 0 && pair.plane().socketChannel() == EpollSocketChannel.class) {
            // the source port is the kernel's choice: let it choose at connect time, per destination, instead of
            // reserving a port for good at bind time (bind-before-connect scans every bound port and runs out
            // of ephemeral ports at a few tens of thousands of legs)
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return bootstrap.group(pair.loop()).channel(pair.plane().socketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(pair.config()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) pair.config().connectTimeout().toMillis())
                .handler(initializer(connected))
                .connect(remote, local);
    }

    private static ChannelInitializer<Channel> initializer(Consumer<Channel> then) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                then.accept(channel);
            }
        };
    }

    private static WriteBufferWaterMark waterMark(BearerConfig config) {
        return new WriteBufferWaterMark(config.pairBufferBytes() / 2, config.pairBufferBytes());
    }
}
