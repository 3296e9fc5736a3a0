package org.mediasec.bearer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.mediasec.bearer.datagram.DatagramLegSpec;
import org.mediasec.bearer.datagram.DatagramPair;

/**
 * The bearer plane: event loops and the relay pairs on them. Uses the native epoll transport where available (set
 * {@code -Dmediasec.bearer.nio=true} to force NIO). Both legs of a pair live on one event loop, so a pair's state
 * needs no locks.
 */
public final class BearerPlane implements AutoCloseable {

    private final BearerConfig config;
    private final EventLoopGroup group;
    private final Class<? extends Channel> socketChannel;
    private final Class<? extends ServerChannel> serverChannel;
    private final Set<RelayPair> pairs = ConcurrentHashMap.newKeySet();
    private final Set<DatagramPair> datagramPairs = ConcurrentHashMap.newKeySet();
    private final Class<? extends Channel> datagramChannel;
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong refusedHandshakes = new AtomicLong();
    private final PortHolds portHolds;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public BearerPlane(BearerConfig config) {
        this.config = config;
        boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("mediasec.bearer.nio");
        this.group = new MultiThreadIoEventLoopGroup(config.threads(), epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.socketChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.datagramChannel = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.portHolds = new PortHolds(epoll);
    }

    /** The TCP ports held for terminations, of which passive legs make their listeners (epoll only). */
    public PortHolds portHolds() {
        return portHolds;
    }

    public BearerConfig config() {
        return config;
    }

    /** "epoll" or "nio". */
    public String transport() {
        return socketChannel == EpollSocketChannel.class ? "epoll" : "nio";
    }

    /**
     * Opens a pair: passive legs are bound (their local addresses are known when the future completes), active legs
     * start connecting. Bind failures fail the future (nothing stays open).
     */
    public CompletableFuture<RelayPair> open(LegSpec a, LegSpec b, BearerListener listener) {
        return open(group.next(), a, b, listener);
    }

    /**
     * As {@link #open(LegSpec, LegSpec, BearerListener)}, on {@code loop} (one of {@link #nextLoop()}'s): the pair's
     * events, and the future, complete on that loop, so an owner confined to it needs no lock.
     */
    public CompletableFuture<RelayPair> open(EventLoop loop, LegSpec a, LegSpec b, BearerListener listener) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the bearer plane is closed"));
        }
        return start(new RelayPair(this, loop, a, b, listener));
    }

    /**
     * Opens a terminated pair on {@code loop}: leg A as in {@link #open(EventLoop, LegSpec, LegSpec, BearerListener)},
     * and instead of a socket for side B, {@code terminus}'s handler, added to A's own connection once A is up (TCP
     * connected, TLS handshake done), after its TLS layer: it reads and writes the clear bytes (as the MRFP's focus
     * does). It runs on {@code loop}, sees {@code channelActive} when added, and closing the channel releases the
     * pair ({@link ReleaseReason#PEER_CLOSED} on side B) with A closed in order; it keeps to the channel's
     * writability itself (GW-8), and lets a peer that does not read go with {@link TerminatedStreams#releaseNotReading}
     * (A is reset). A's socket holds little unsent ({@link TerminatedLeg#UNSENT_IN_KERNEL}): what waits for the peer is
     * in the channel's write queue, which the handler sees. No loopback port: no other process can reach the clear side.
     */
    public CompletableFuture<RelayPair> open(EventLoop loop, LegSpec a, Supplier<? extends ChannelHandler> terminus, BearerListener listener) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the bearer plane is closed"));
        }
        return start(new RelayPair(this, loop, a, terminus, listener));
    }

    private CompletableFuture<RelayPair> start(RelayPair pair) {
        pairs.add(pair);
        CompletableFuture<RelayPair> started;
        try {
            started = pair.start();
        } catch (RuntimeException e) { // the event loops are shutting down
            pairs.remove(pair);
            return CompletableFuture.failedFuture(e);
        }
        return started.whenComplete((opened, failure) -> {
            if (failure != null) {
                pairs.remove(pair);
            }
        });
    }

    /** One of the plane's event loops, round robin: an owner of pairs can live on it and open its pairs there. */
    public EventLoop nextLoop() {
        return group.next();
    }

    /** The server socket channel type of the plane's loops (epoll or NIO), for listeners that share them. */
    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannel;
    }

    /** The datagram channel type of the plane's loops (epoll or NIO), for sockets that share them (the gateway's H.248 endpoint). */
    public Class<? extends Channel> datagramChannelType() {
        return datagramChannel;
    }

    /**
     * Opens a datagram pair (GW-7: UDPTL, DTLS or plain UDP on each leg): both sockets are bound when the future
     * completes (bind failures fail it, nothing stays open), and a DTLS client leg has sent its ClientHello.
     */
    public CompletableFuture<DatagramPair> openDatagram(DatagramLegSpec a, DatagramLegSpec b, BearerListener listener) {
        return openDatagram(group.next(), a, b, listener);
    }

    /** As {@link #openDatagram(DatagramLegSpec, DatagramLegSpec, BearerListener)}, on {@code loop} (one of {@link #nextLoop()}'s). */
    public CompletableFuture<DatagramPair> openDatagram(EventLoop loop, DatagramLegSpec a, DatagramLegSpec b, BearerListener listener) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the bearer plane is closed"));
        }
        DatagramPair.DatagramPlane plane = new DatagramPair.DatagramPlane() {
            @Override
            public BearerConfig config() {
                return config;
            }

            @Override
            public Class<? extends Channel> datagramChannel() {
                return datagramChannel;
            }

            @Override
            public void released(DatagramPair pair) {
                datagramPairs.remove(pair);
            }
        };
        try {
            return DatagramPair.open(plane, loop, a, b, listener).thenApply(pair -> {
                datagramPairs.add(pair);
                if (closed.get()) {
                    pair.release("bearer plane closing");
                }
                return pair;
            });
        } catch (RuntimeException e) { // the event loops are shutting down
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Datagram pairs not yet released. */
    public int openDatagramPairs() {
        return datagramPairs.size();
    }

    /** Pairs not yet released. */
    public int openPairs() {
        return pairs.size();
    }

    /** Connections refused on passive legs because they came from an unexpected address (TCP-9). */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    void refused() {
        refusedConnections.incrementAndGet();
    }

    /** Connections admitted on passive TLS legs whose handshake failed; the leg kept listening ({@link PendingHandshakes}). */
    public long refusedHandshakes() {
        return refusedHandshakes.get();
    }

    void refusedHandshake() {
        refusedHandshakes.incrementAndGet();
    }

    void released(RelayPair pair) {
        pairs.remove(pair);
    }

    Class<? extends Channel> socketChannel() {
        return socketChannel;
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /** Releases every pair and stops the event loops. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (RelayPair pair : pairs) {
            pair.release("bearer plane closing");
        }
        for (DatagramPair pair : datagramPairs) {
            pair.release("bearer plane closing");
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
