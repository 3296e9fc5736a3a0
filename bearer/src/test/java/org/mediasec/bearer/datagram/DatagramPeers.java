package org.mediasec.bearer.datagram;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;

/** Test kit for datagram legs: loopback addresses and a plain UDP endpoint (the core, or a UE's plain side). */
final class DatagramPeers {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(LOOPBACK, 0);

    private DatagramPeers() {}

    /** A UDP socket on loopback. */
    static final class Udp implements AutoCloseable {
        final DatagramSocket socket;

        Udp() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(byte[] payload, InetSocketAddress to) throws IOException {
            socket.send(new DatagramPacket(payload, payload.length, to));
        }

        /** The next datagram within {@code millis}, or empty. */
        Optional<byte[]> receive(int millis) throws IOException {
            byte[] buffer = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.setSoTimeout(millis);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
