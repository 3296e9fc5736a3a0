package org.mediasec.bearer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSessionListener;

/**
 * A strict RFC 4975 endpoint (our {@link MsrpSession} in {@link MsrpSession.SessionMatching#STRICT}) on a blocking
 * socket with a reader thread: what it receives, the frames it saw, and whether its input decoded cleanly.
 */
final class StrictMsrpPeer implements AutoCloseable {

    record Message(String contentType, byte[] body) {}

    final MsrpSession session;
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final List<MsrpFrameHead> framesIn = new CopyOnWriteArrayList<>();
    final List<List<String>> unmatched = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> inputEnded = new CompletableFuture<>();
    private final Socket socket;
    private final OutputStream out;
    /** What the session writes, sent by a writer thread of its own: the reader never waits for the sender. */
    private final BlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>();

    StrictMsrpPeer(Socket socket, MsrpUri own, List<MsrpUri> peerPath) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true); // a 200 per chunk: Nagle with delayed ACKs would add 40 ms to each
        this.out = socket.getOutputStream();
        session = new MsrpSession(List.of(own), peerPath, MsrpSession.SessionMatching.STRICT, 64L << 20, this::write, new MsrpSessionListener() {
            @Override
            public void onMessage(String messageId, String contentType, byte[] body) {
                received.add(new Message(contentType, body));
            }

            @Override
            public void onFrame(boolean sent, MsrpFrameHead head, long bodyBytes) {
                if (!sent) {
                    framesIn.add(head);
                }
            }

            @Override
            public void onUnmatched(List<String> toPath) {
                unmatched.add(toPath);
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    out.write(outgoing.take());
                }
            } catch (IOException | InterruptedException closed) {
                // the socket is gone
            }
        });
        Thread.ofVirtual().start(() -> {
            MsrpDecoder decoder = new MsrpDecoder();
            byte[] buffer = new byte[32768];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                    decoder.decode(ByteBuffer.wrap(buffer, 0, n), session);
                }
                inputEnded.complete(decoder.betweenFrames() ? "clean" : "inside a frame");
            } catch (Exception e) {
                inputEnded.complete("failed: " + e.getMessage());
            }
        });
    }

    void write(byte[] bytes) {
        outgoing.add(bytes);
    }

    Message receive() throws InterruptedException {
        Message message = received.poll(30, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 30 s");
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
