package org.mediasec.it.controller;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSession.SessionMatching;
import org.mediasec.msrp.session.MsrpSessionListener;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;

/**
 * A strict RFC 4975 UE behind an RFC 4976 relay: it opens TCP to the relay, binds a relay URI with AUTH (RFC 4976
 * 7.1; the Use-Path of the 200), announces {@code a=path:<relay-uri> <own-uri>} (RFC 4976 6.1), and then runs our
 * {@link MsrpSession} in {@link SessionMatching#STRICT} mode over that one connection, writing To-Path
 * {@code <relay-uri> <peer's path>}. Thread rule: one virtual thread reads the connection and feeds the session;
 * sends are serialised by the session.
 */
final class RelayedUe implements AutoCloseable {

    private static final Pattern USE_PATH = Pattern.compile("Use-Path: (\\S+)");
    private static final long MAX_MESSAGE = 64L << 20;
    private static final int TEXT_CHUNK = 2048;

    private final Socket socket;
    private final OutputStream output;
    private final MsrpUri own;
    private final MsrpUri relay;
    private final List<MsrpFrameHead> framesReceived = new CopyOnWriteArrayList<>();
    private final List<MsrpFrameHead> framesSent = new CopyOnWriteArrayList<>();
    private final List<byte[]> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile MsrpSession session;

    private RelayedUe(Socket socket, MsrpUri own, MsrpUri relay) throws IOException {
        this.socket = socket;
        this.output = socket.getOutputStream();
        this.own = own;
        this.relay = relay;
    }

    /** Connects to the relay and binds a relay URI with AUTH (RFC 4976 7.1). */
    static RelayedUe bind(InetSocketAddress relayAddress) throws IOException, MsrpParseException {
        Socket socket = new Socket();
        socket.connect(relayAddress, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        MsrpUri own = MsrpUri.of(false, "127.0.0.1", socket.getLocalPort(), id(16));
        String transaction = id(12);
        String auth = "MSRP " + transaction + " AUTH\r\nTo-Path: msrp://" + relayAddress.getHostString() + ":" + relayAddress.getPort() + ";tcp\r\n"
                + "From-Path: " + own + "\r\nMessage-ID: " + id(12) + "\r\n-------" + transaction + "$\r\n";
        socket.getOutputStream().write(auth.getBytes(StandardCharsets.US_ASCII));
        String reply = readUntil(socket.getInputStream(), "-------" + transaction + "$\r\n");
        Matcher useP = USE_PATH.matcher(reply);
        if (!reply.startsWith("MSRP " + transaction + " 200") || !useP.find()) {
            throw new IOException("the relay did not bind us: " + reply);
        }
        socket.setSoTimeout(0);
        return new RelayedUe(socket, own, MsrpUri.parse(useP.group(1)));
    }

    /** A random identifier of letters and digits (RFC 4975 9: session-id and transaction-id are such). */
    static String id(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, length);
    }

    private static String readUntil(InputStream input, String end) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = input.read();
            if (b < 0) {
                throw new IOException("the relay closed the connection: " + bytes.toString(StandardCharsets.US_ASCII));
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    MsrpUri ownUri() {
        return own;
    }

    MsrpUri relayUri() {
        return relay;
    }

    /** The offer: the relay URI first in a=path (RFC 4976 6.1); the relay's connection carries the stream, so active. */
    SessionDescription offer() throws Exception {
        return SdpParser.parse("v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message " + relay.port().orElseThrow()
                + " TCP/MSRP *\r\na=setup:active\r\na=connection:new\r\na=accept-types:text/plain application/octet-stream message/cpim\r\n"
                + "a=path:" + relay + " " + own + "\r\n");
    }

    /** Starts the session once the answer is in: To-Path is the relay URI, then the answerer's a=path. */
    void start(SessionDescription answer) throws MsrpParseException {
        List<MsrpUri> peerPath = new ArrayList<>(List.of(relay));
        for (String uri : answer.media().get(0).path()) {
            peerPath.add(MsrpUri.parse(uri));
        }
        session = new MsrpSession(List.of(own), peerPath, SessionMatching.STRICT, MAX_MESSAGE, this::write, new Events());
        Thread.ofVirtual().name("relayed-ue").start(this::read);
    }

    CompletableFuture<Void> sendText(String text) {
        return session.send("text/plain", text.getBytes(StandardCharsets.UTF_8), TEXT_CHUNK, false);
    }

    CompletableFuture<Void> sendFile(byte[] content, int chunkSize) {
        return session.send("application/octet-stream", content, chunkSize, true);
    }

    void sendRaw(String frame) {
        write(frame.getBytes(StandardCharsets.ISO_8859_1));
    }

    List<MsrpFrameHead> framesReceived() {
        return List.copyOf(framesReceived);
    }

    /** The heads of the frames our session wrote: requests and its responses. */
    List<MsrpFrameHead> framesSent() {
        return List.copyOf(framesSent);
    }

    List<byte[]> awaitMessages(int count, Duration timeout) {
        await().atMost(timeout).until(() -> messages.size() >= count);
        return List.copyOf(messages);
    }

    CompletableFuture<String> closed() {
        return closed;
    }

    private void read() {
        MsrpDecoder decoder = new MsrpDecoder();
        byte[] buffer = new byte[64 * 1024];
        String why = "closed by the relay";
        try {
            InputStream input = socket.getInputStream();
            int n;
            while ((n = input.read(buffer)) >= 0) {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), session);
            }
        } catch (MsrpParseException e) {
            why = "MSRP from the relay does not parse: " + e.getMessage();
        } catch (IOException e) {
            why = String.valueOf(e.getMessage());
        }
        session.closed(why);
        closed.complete(why);
    }

    private void write(byte[] frame) {
        try {
            synchronized (output) {
                output.write(frame);
                output.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Events implements MsrpSessionListener {
        @Override
        public void onMessage(String messageId, String contentType, byte[] body) {
            messages.add(body);
        }

        @Override
        public void onFrame(boolean sent, MsrpFrameHead head, long bodyBytes) {
            (sent ? framesSent : framesReceived).add(head);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
