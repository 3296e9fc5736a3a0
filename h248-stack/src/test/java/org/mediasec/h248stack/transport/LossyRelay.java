package org.mediasec.h248stack.transport;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay on 127.0.0.1 between one client and a target that drops every Nth datagram going to the target:
 * the "lost datagram" of H.248.1 Annex D.1, on real sockets. Bounded: it stops when closed.
 */
final class LossyRelay implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final int dropEvery;
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile InetSocketAddress client;
    private final Thread thread;

    LossyRelay(InetSocketAddress target, int dropEvery) throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.target = target;
        this.dropEvery = dropEvery;
        this.thread = new Thread(this::run, "lossy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    int dropped() {
        return dropped.get();
    }

    private void run() {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                if (from.equals(target)) {
                    if (client != null) {
                        socket.send(new DatagramPacket(packet.getData(), packet.getLength(), client));
                    }
                    continue;
                }
                client = from;
                if (forwarded.incrementAndGet() % dropEvery == 0) {
                    dropped.incrementAndGet();
                    continue;
                }
                socket.send(new DatagramPacket(packet.getData(), packet.getLength(), target));
            } catch (java.io.IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
