package org.mediasec.gateway.context;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;

/**
 * The bearer ports of the gateway's realm (its first: the one terminations are placed in). A port another process
 * holds, for TCP or for UDP, is skipped (and tried again later, round robin), so that the port in our SDP answer is one we can listen
 * on; 510 when none is left. Thread-safe (the allocator is).
 */
public final class UsablePorts {

    private final PortAllocator allocator;
    private final PortAllocator.Realm realm;

    public UsablePorts(List<PortAllocator.Realm> realms) {
        this.allocator = new PortAllocator(realms);
        this.realm = realms.get(0);
    }

    public PortAllocator.Allocation allocate() throws GatewayError {
        List<PortAllocator.Allocation> busy = new ArrayList<>();
        try {
            for (int attempt = 0; attempt <= realm.lastPort() - realm.firstPort(); attempt++) {
                PortAllocator.Allocation allocation = allocator.allocate(realm.name());
                if (bindable(allocation)) {
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

    /** Free for TCP and for UDP: the port's termination may become either kind of leg (GW-7). */
    private boolean bindable(PortAllocator.Allocation allocation) {
        InetSocketAddress address = new InetSocketAddress(realm.address(), allocation.port());
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(true);
            tcp.bind(address);
            udp.bind(address);
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    public void release(PortAllocator.Allocation allocation) {
        allocator.release(allocation);
    }

    /** Ports in use in the realm (for leak checks and the metrics). */
    public int inUse() {
        return allocator.inUse(realm.name());
    }
}
