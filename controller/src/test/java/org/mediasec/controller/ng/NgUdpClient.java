package org.mediasec.controller.ng;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgDocument;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.message.NgMessageException;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.NgRequestWriter;

/** A UDP ng client for tests: one socket (one source address), messages built with the ng module's writer. */
final class NgUdpClient implements AutoCloseable {

    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final DatagramSocket socket;

    NgUdpClient(InetSocketAddress endpoint) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.connect(endpoint);
    }

    static byte[] message(String cookie, NgRequest request, NgFormat format) {
        return NgFraming.frame(new NgCookie(cookie), format.encode(NgRequestWriter.write(request)));
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] message) throws IOException {
        socket.send(new DatagramPacket(message, message.length));
    }

    /** The next datagram within {@code timeout}, if any. */
    Optional<byte[]> receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException nothing) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    byte[] exchange(byte[] message) throws IOException {
        send(message);
        return receive(REPLY_TIMEOUT).orElseThrow(() -> new AssertionError("no reply to " + new String(message, StandardCharsets.ISO_8859_1)));
    }

    NgReply request(String cookie, NgRequest request, NgFormat format) throws Exception {
        return reply(exchange(message(cookie, request, format)), cookie, format);
    }

    /** The reply in {@code message}, which must carry {@code cookie} and be in {@code format}. */
    static NgReply reply(byte[] message, String cookie, NgFormat format) throws Exception {
        NgFraming.Framed framed = NgFraming.split(message);
        assertThat(framed.cookie()).isEqualTo(new NgCookie(cookie));
        NgDocument document = framed.document(NgLimits.DEFAULT);
        assertThat(document.format()).isEqualTo(format);
        try {
            return NgReplies.read(document.dictionary());
        } catch (NgMessageException e) {
            throw new AssertionError("not a reply: " + document, e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
