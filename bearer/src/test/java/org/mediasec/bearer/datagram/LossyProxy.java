package org.mediasec.bearer.datagram;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A UDP proxy between one client and a server, on loopback, that drops what a predicate picks from the client's
 * side; used to lose a handshake flight. One thread per proxy; stops when closed.
 */
final class LossyProxy implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final Predicate<byte[]> dropFromClient;
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread thread;
    private volatile InetSocketAddress client;

    LossyProxy(InetSocketAddress server, Predicate<byte[]> dropFromClient) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(DatagramPeers.LOOPBACK, 0));
        this.server = server;
        this.dropFromClient = dropFromClient;
        this.thread = Thread.ofVirtual().start(this::run);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    int dropped() {
        return dropped.get();
    }

    private void run() {
        byte[] buffer = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
                if (from.equals(server)) {
                    if (client != null) {
                        socket.send(new DatagramPacket(datagram, datagram.length, client));
                    }
                } else {
                    client = from;
                    if (dropFromClient.test(datagram)) {
                        dropped.incrementAndGet();
                    } else {
                        socket.send(new DatagramPacket(datagram, datagram.length, server));
                    }
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // ICMP unreachable from a peer that went away: keep proxying
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        thread.interrupt();
    }
}
