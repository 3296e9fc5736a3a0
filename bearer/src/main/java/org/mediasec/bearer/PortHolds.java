package org.mediasec.bearer;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP ports held for terminations, on the epoll transport: a bound socket with SO_REUSEADDR that never listens, from
 * the Add that announces the port until the leg's listener takes it ({@link #listenOn}) or the port is let go
 * ({@link #release}). The listener is the hold itself, listen(2) on the same descriptor, not a second socket bound
 * beside it: one socket, bind and close less per passive leg (issue 23: these system calls were the largest part of
 * the gateway's work per call). The port is never unbound between the two, so no other process can take it in between.
 *
 * <p>Ownership of a descriptor is exact: it is the map's until {@link #listenOn} removes it, and then the channel's
 * (closing the channel closes it); {@link #release} closes only what the map still has, so a descriptor number that
 * was handed over (and may since belong to another socket) is never closed twice. Thread-safe.
 */
public final class PortHolds {

    private static final Logger LOG = LoggerFactory.getLogger(PortHolds.class);

    private final boolean available;
    private final Map<InetSocketAddress, Socket> held = new ConcurrentHashMap<>();

    /** @param available whether the plane runs on epoll (the NIO transport cannot adopt a descriptor; nothing is held here then) */
    public PortHolds(boolean available) {
        this.available = available;
    }

    /** Whether ports can be held here (epoll); else the owner holds them with sockets of its own. */
    public boolean available() {
        return available;
    }

    /**
     * Binds a TCP socket to {@code address} (SO_REUSEADDR, as the listeners: Linux refuses the port to a socket of
     * another process that does not set it) and keeps it; false when another socket has the port.
     */
    public boolean hold(InetSocketAddress address) {
        if (!available) {
            throw new IllegalStateException("ports are held here only on the epoll transport");
        }
        Socket socket = Socket.newSocketStream();
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
        } catch (IOException inUse) {
            closeQuietly(socket);
            return false;
        }
        Socket before = held.put(address, socket);
        if (before != null) { // the owner held the port twice without letting go: keep the newer, close the older
            closeQuietly(before);
        }
        return true;
    }

    /** Whether {@code address} is held here and not taken by a listener yet. */
    public boolean holds(InetSocketAddress address) {
        return held.containsKey(address);
    }

    /** Lets go of the port: closes its hold if no listener took it (a listener's descriptor is the channel's to close). */
    public void release(InetSocketAddress address) {
        Socket socket = held.remove(address);
        if (socket != null) {
            closeQuietly(socket);
        }
    }

    /**
     * A passive leg's listener made of the port's hold: listen(2) on it and a channel around the descriptor, which owns
     * it from now on (the plane registers it; it is bound and listening, so active at once). Empty when the port is not
     * held here, or listen failed (the hold is closed then, and the caller binds a listener of its own as before).
     */
    Optional<EpollServerSocketChannel> listenOn(InetSocketAddress address) {
        Socket socket = held.remove(address);
        if (socket == null) {
            return Optional.empty();
        }
        try {
            socket.listen(NetUtil.SOMAXCONN);
            return Optional.of(new EpollServerSocketChannel(socket.intValue()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the hold of {} could not listen ({}): binding a listener beside it instead", address, e.toString());
            closeQuietly(socket);
            return Optional.empty();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.warn("closing a port hold failed: {}", e.toString());
        }
    }
}
