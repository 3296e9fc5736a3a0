package org.mediasec.it.bench.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The core side of every relay under test: accepts TCP connections on a few ports, counts and discards what arrives. */
final class Sink implements AutoCloseable {

    private final LongAdder bytes = new LongAdder();
    private final List<Channel> servers = new ArrayList<>();

    Sink(EventLoopGroup group, int ports) throws InterruptedException {
        ChannelHandler counter = new Counter();
        for (int i = 0; i < ports; i++) {
            servers.add(new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(counter)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel());
        }
    }

    List<Integer> ports() {
        return servers.stream().map(s -> ((InetSocketAddress) s.localAddress()).getPort()).toList();
    }

    long bytes() {
        return bytes.sum();
    }

    @Override
    public void close() {
        servers.forEach(Channel::close);
    }

    @ChannelHandler.Sharable
    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof ByteBuf buffer) {
                bytes.add(buffer.readableBytes());
            }
            ReferenceCountUtil.release(message);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
