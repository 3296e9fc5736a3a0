package org.mediasec.bearer;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.mediasec.traceability.Implements;

/**
 * The sockets of a leg and the options each gets: half-closure allowed (a FIN is an event, TCP-8), no Nagle delay,
 * and the write queue's high-water mark (GW-8). Thread rule: called on the pair's event loop.
 */
@Implements({"TCP-2", "TCP-9"})
final class LegSockets {

    /**
     * SO_REUSEPORT by its Linux numbers (SOL_SOCKET 1, SO_REUSEPORT 15, asm-generic/socket.h): Netty's
     * EpollChannelOption.SO_REUSEPORT is known to its server and datagram channels only, not to a socket channel.
     */
    private static final IntegerUnixChannelOption EPOLL_REUSE_PORT = new IntegerUnixChannelOption("SO_REUSEPORT", 1, 15);

    private LegSockets() {}

    /** Binds a passive leg's listening socket; each connection accepted goes to {@code accepted}, which admits or refuses it (TCP-9). */
    static ChannelFuture listen(RelayPair pair, InetSocketAddress local, Consumer<Channel> accepted) {
        return listen(pair, local, false, accepted);
    }

    /**
     * As {@link #listen(RelayPair, InetSocketAddress, Consumer)}; {@code sharedPort}: the merging leg's connector binds
     * the same port (TCP-5), which Linux allows only when every socket on it sets SO_REUSEPORT. Only merging legs
     * set it: on any other port it would let another socket of ours bind it and share its connections.
     */
    static ChannelFuture listen(RelayPair pair, InetSocketAddress local, boolean sharedPort, Consumer<Channel> accepted) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(pair.loop(), pair.loop())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(pair.config()))
                .childHandler(initializer(accepted));
        if (!sharedPort) {
            // the port's hold becomes the listener (bound already, with SO_REUSEADDR): registered, not bound again
            Optional<EpollServerSocketChannel> held = pair.plane().portHolds().listenOn(local);
            if (held.isPresent()) {
                io.netty.channel.ChannelFactory<ServerChannel> adopted = held::get;
                return bootstrap.channelFactory(adopted).register();
            }
        } else {
            reusePort(pair, bootstrap);
        }
        return bootstrap.channel(pair.plane().serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true) // the allocated port may still have TIME_WAIT connections
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

    /**
     * TCP-5: connects from the merging leg's own listening port ({@code local}, SO_REUSEPORT as its listener) to the
     * peer, for at most {@code timeout}; {@code then} gets the channel when it registers, before it connects. A SYN
     * from the peer to this port that crosses ours meets this socket (RFC 793 3.4: simultaneous open).
     */
    static ChannelFuture connectFromListeningPort(RelayPair pair, InetSocketAddress local, InetSocketAddress remote, Duration timeout,
            Consumer<Channel> then) {
        Bootstrap bootstrap = new Bootstrap();
        reusePort(pair, bootstrap);
        return bootstrap.group(pair.loop()).channel(pair.plane().socketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(pair.config()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .handler(initializer(then))
                .connect(remote, local);
    }

    private static void reusePort(RelayPair pair, AbstractBootstrap<?, ?> bootstrap) {
        if (pair.plane().transport().equals("epoll")) {
            bootstrap.option(EPOLL_REUSE_PORT, 1);
        } else {
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
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
