package org.mediasec.gateway.context;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.PortHolds;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer ports of the gateway's realm (its first: the one terminations are placed in). A port is handed out only
 * once it is held: bound by a socket of ours of the kind its termination is planned for (TCP, or UDP for a datagram
 * leg), from the allocation until {@link #release} or its connection, so that
 * no other process can take it between the Add that announces it in SDP and the Modify that opens its leg (a port
 * checked free and bound later is a race another process wins, and the Modify then fails with 510). A port another
 * process holds is skipped and the next one tried (round robin); 510 when none can be held. Thread-safe.
 *
 * <p>The TCP hold is a bound socket that never listens, with SO_REUSEADDR: Linux refuses the port to a socket of
 * another process that does not set SO_REUSEADDR; one that does may bind but can no longer listen once our leg does.
 * On the epoll transport the bearer plane keeps the hold ({@link PortHolds}) and a passive leg's listener is the hold
 * itself (listen(2) on it: one socket per passive leg, not two); on NIO the hold is a channel of its own and the
 * leg's listener (also SO_REUSEADDR, {@code LegSockets}) binds and listens beside it. The UDP hold is given up
 * by {@link #openingDatagramLeg} just before a UDP leg binds the port (UDP has no such listening state to tell the two apart).
 * Only the planned kind is held (one descriptor, not two, per port in set-up): a Modify that turns a termination
 * into the other kind (GW-7) binds its port without a hold before it, and gets 510 if another process took it.
 *
 * <p>Once a TCP leg has its connection on the port, that connection holds it (Linux refuses another listener on a
 * port with an established socket of ours) and {@link #heldByConnection} lets both holds go: an established call
 * costs the gateway its two connections, not six descriptors, so the 8,000 calls of issue 24 fit in the
 * container's 20,000 files per process.
 */
public final class UsablePorts {

    private static final Logger LOG = LoggerFactory.getLogger(UsablePorts.class);

    private final PortAllocator allocator;
    private final PortAllocator.Realm realm;
    private final Map<Integer, Hold> holds = new ConcurrentHashMap<>();
    private final PortHolds planeHolds;

    /** The socket that holds a port for its termination: {@code tcp} or {@code udp}; {@code udp} null once a UDP leg took the port. */
    private static final class Hold {
        final Closeable tcp;
        DatagramChannel udp;

        Hold(Closeable tcp, DatagramChannel udp) {
            this.tcp = tcp;
            this.udp = udp;
        }

        synchronized void closeUdp() {
            if (udp != null) {
                closeQuietly(udp);
                udp = null;
            }
        }

        void close() {
            closeUdp();
            if (tcp != null) {
                closeQuietly(tcp);
            }
        }
    }

    /** @param planeHolds the bearer plane's holds, used where it can adopt them as listeners (epoll) */
    public UsablePorts(List<PortAllocator.Realm> realms, PortHolds planeHolds) {
        this.allocator = new PortAllocator(realms);
        this.realm = realms.get(0);
        this.planeHolds = planeHolds;
    }

    /** A port of the realm, held for the kind of leg its termination is planned for (UDP when {@code datagram}) until {@link #release}. */
    public PortAllocator.Allocation allocate(boolean datagram) throws GatewayError {
        List<PortAllocator.Allocation> busy = new ArrayList<>();
        try {
            for (int attempt = 0; attempt <= realm.lastPort() - realm.firstPort(); attempt++) {
                PortAllocator.Allocation allocation = allocator.allocate(realm.name());
                Hold hold = hold(allocation, datagram);
                if (hold != null) {
                    holds.put(allocation.port(), hold);
                    return allocation;
                }
                busy.add(allocation);
            }
            throw new GatewayError(ErrorCode.INSUFFICIENT_RESOURCES, "no port of realm " + realm.name() + " can be bound");
        } catch (PortAllocator.NoPortAvailable e) {
            throw new GatewayError(ErrorCode.INSUFFICIENT_RESOURCES, e.getMessage());
        } finally {
            busy.forEach(allocator::release);
        }
    }

    /** Binds the port for UDP, or for TCP (never listening), or null when another socket has it. */
    private Hold hold(PortAllocator.Allocation allocation, boolean datagram) {
        InetSocketAddress address = new InetSocketAddress(realm.address(), allocation.port());
        Closeable socket = null;
        try {
            if (datagram) {
                DatagramChannel udp = DatagramChannel.open();
                socket = udp;
                udp.bind(address);
                return new Hold(null, udp);
            }
            if (planeHolds.available()) {
                // on epoll the bearer plane holds it, and a passive leg's listener is made of that very socket
                return planeHolds.hold(address) ? new Hold(() -> planeHolds.release(address), null) : null;
            }
            SocketChannel tcp = SocketChannel.open();
            socket = tcp;
            tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true); // the leg's listener binds beside it
            tcp.bind(address);
            return new Hold(tcp, null);
        } catch (IOException inUse) {
            if (socket != null) {
                closeQuietly(socket);
            }
            return null;
        }
    }

    /** A UDP leg is about to bind the port: the UDP hold lets go of it (the TCP hold stays until the release). */
    public void openingDatagramLeg(PortAllocator.Allocation allocation) {
        Hold hold = holds.get(allocation.port());
        if (hold != null) {
            hold.closeUdp();
        }
    }

    /** A TCP leg's connection on the port holds it from now on: the holds let go (the port stays allocated until {@link #release}). */
    public void heldByConnection(PortAllocator.Allocation allocation) {
        Hold hold = holds.remove(allocation.port());
        if (hold != null) {
            hold.close();
        }
    }

    /** Gives the port back, and lets go of it. */
    public void release(PortAllocator.Allocation allocation) {
        Hold hold = holds.remove(allocation.port());
        if (hold != null) {
            hold.close();
        }
        allocator.release(allocation);
    }

    /** Ports in use in the realm (for leak checks and the metrics). */
    public int inUse() {
        return allocator.inUse(realm.name());
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.warn("closing a port hold failed: {}", e.toString());
        }
    }
}
