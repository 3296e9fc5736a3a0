package org.mediasec.it.bench.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The experiment behind "epoll splice for TCP↔TCP if it measures faster" (issue 6): a bare TCP relay that moves
 * bytes with Netty's {@code spliceTo} (splice(2) through a pipe, no copy to user space), measured against our relay's
 * TCP↔TCP figure in the same run ({@code --relays ours,splice --figures tcp1}). It has none of the pair's
 * bookkeeping (no FIN propagation, no byte counts), so it is an upper bound for what splice could give.
 */
public final class SpliceRelay {

    public static void main(String[] args) throws Exception {
        InetSocketAddress sink = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(0, EpollIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel accepted) {
                        accepted.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext context) {
                                new Bootstrap().group(accepted.eventLoop()).channel(EpollSocketChannel.class)
                                        .option(ChannelOption.AUTO_READ, false)
                                        .option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED)
                                        .handler(new ChannelInboundHandlerAdapter())
                                        .connect(sink).addListener(done -> {
                                            if (!done.isSuccess()) {
                                                accepted.close();
                                                return;
                                            }
                                            AbstractEpollStreamChannel in = (AbstractEpollStreamChannel) accepted;
                                            AbstractEpollStreamChannel out = (AbstractEpollStreamChannel) ((io.netty.channel.ChannelFuture) done).channel();
                                            in.spliceTo(out, Integer.MAX_VALUE).addListener(f -> out.close());
                                            out.spliceTo(in, Integer.MAX_VALUE).addListener(f -> in.close());
                                            in.config().setAutoRead(true);
                                            out.config().setAutoRead(true);
                                            out.closeFuture().addListener(f -> accepted.close());
                                        });
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        System.out.println("ready " + ((InetSocketAddress) server.localAddress()).getPort());
        System.in.read(); // until the benchmark closes our stdin
        loops.shutdownGracefully();
    }
}
