package org.mediasec.it.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.NgRequestWriter;

/** The test's own ng client (bencode over UDP, the ng module's writer and reader): asks the controller what it holds. */
public final class NgProbe implements AutoCloseable {

    /** Generous: a loaded machine's first offer waits for a gateway that is still warming up. */
    private static final int REPLY_TIMEOUT_MS = 15_000;
    private static final AtomicLong COOKIES = new AtomicLong();

    private final DatagramSocket socket;
    /** Replies that came while another was waited for, by cookie. */
    private final Map<NgCookie, byte[]> unclaimed = new HashMap<>();

    public NgProbe(InetSocketAddress ng) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.connect(ng);
    }

    public NgReply request(NgRequest request) throws Exception {
        String cookie = "probe-" + COOKIES.incrementAndGet();
        byte[] message = NgFraming.frame(new NgCookie(cookie), NgFormat.BENCODE.encode(NgRequestWriter.write(request)));
        Optional<byte[]> reply = send(message);
        // a reply that came after its request gave up is not this one's: the cookie tells
        while (reply.isPresent() && !NgFraming.split(reply.get()).cookie().equals(new NgCookie(cookie))) {
            reply = receive(REPLY_TIMEOUT_MS);
        }
        return reply(reply.orElseThrow(() -> new AssertionError("no reply to " + request)));
    }

    /** Sends {@code request} without waiting for its reply; its cookie, for {@link #replyTo}. */
    public NgCookie sendOnly(NgRequest request) throws IOException {
        NgCookie cookie = new NgCookie("probe-" + COOKIES.incrementAndGet());
        byte[] message = NgFraming.frame(cookie, NgFormat.BENCODE.encode(NgRequestWriter.write(request)));
        socket.send(new DatagramPacket(message, message.length));
        return cookie;
    }

    /**
     * The reply behind {@code cookie}, waited for; replies behind other cookies sent with {@link #sendOnly} are kept
     * for their own {@code replyTo} (they may come in any order).
     */
    public NgReply replyTo(NgCookie cookie) throws Exception {
        byte[] kept = unclaimed.remove(cookie);
        if (kept != null) {
            return reply(kept);
        }
        Optional<byte[]> reply = receive(REPLY_TIMEOUT_MS);
        while (reply.isPresent() && !NgFraming.split(reply.get()).cookie().equals(cookie)) {
            unclaimed.put(NgFraming.split(reply.get()).cookie(), reply.get());
            reply = receive(REPLY_TIMEOUT_MS);
        }
        return reply(reply.orElseThrow(() -> new AssertionError("no reply behind " + cookie.value())));
    }

    /** Sends raw bytes; the reply, if one comes within the timeout. */
    Optional<byte[]> send(byte[] message) throws IOException {
        return send(message, REPLY_TIMEOUT_MS);
    }

    Optional<byte[]> send(byte[] message, int timeoutMillis) throws IOException {
        socket.send(new DatagramPacket(message, message.length));
        return receive(timeoutMillis);
    }

    private Optional<byte[]> receive(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException nothing) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    static NgReply reply(byte[] message) throws Exception {
        return NgReplies.read(NgFraming.split(message).document(NgLimits.DEFAULT).dictionary());
    }

    @Override
    public void close() {
        socket.close();
    }
}
