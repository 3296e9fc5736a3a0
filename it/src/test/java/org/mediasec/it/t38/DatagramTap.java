package org.mediasec.it.t38;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forwarding socket in front of a UDP peer, for a pcap of what crossed a link (tests cannot capture live): what
 * comes from the peer goes to the last other sender, what comes from anyone else goes to the peer, and each datagram
 * is recorded. Its own address is what the other side is told in SDP.
 */
final class DatagramTap implements AutoCloseable {

    /** One datagram as it crossed: ports of its sender and receiver. */
    record Captured(int from, int to, byte[] payload) {}

    private final DatagramSocket socket;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile InetSocketAddress peer;

    DatagramTap() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = Thread.ofVirtual().start(this::run);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The peer behind the tap (known once the SDP told it). */
    void peer(InetSocketAddress address) {
        peer = address;
    }

    List<Captured> captured() {
        return List.copyOf(captured);
    }

    private void run() {
        InetSocketAddress other = null;
        byte[] buffer = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.setSoTimeout(200);
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
            InetSocketAddress to = from.equals(peer) ? other : peer;
            if (!from.equals(peer)) {
                other = from;
            }
            if (to == null) {
                continue;
            }
            captured.add(new Captured(from.getPort(), to.getPort(), datagram));
            try {
                socket.send(new DatagramPacket(datagram, datagram.length, to));
            } catch (IOException e) {
                // the far side went away: keep forwarding
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
