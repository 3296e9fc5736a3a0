package org.mediasec.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSessionListener;

/** A UE's MSRP endpoint (our MsrpSession) on a {@link PskConnection}, with a reader thread. */
final class PskMsrpClient implements AutoCloseable {

    record Message(String contentType, byte[] body) {}

    private final PskConnection connection;
    private final MsrpSession session;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    PskMsrpClient(InetSocketAddress server, byte[] psk, MsrpUri own, MsrpUri focus) throws IOException {
        connection = new PskConnection(server, psk);
        session = new MsrpSession(List.of(own), List.of(focus), false, 64L << 20, bytes -> {
            try {
                connection.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, new MsrpSessionListener() {
            @Override
            public void onMessage(String messageId, String contentType, byte[] body) {
                received.add(new Message(contentType, body));
            }
        });
        reader = Thread.ofVirtual().start(() -> {
            MsrpDecoder decoder = new MsrpDecoder();
            byte[] buffer = new byte[16384];
            try {
                for (int n; (n = connection.in.read(buffer)) >= 0; ) {
                    decoder.decode(ByteBuffer.wrap(buffer, 0, n), session);
                }
            } catch (Exception ended) {
                // closed
            }
        });
    }

    CompletableFuture<Void> send(String contentType, byte[] body) {
        return session.send(contentType, body, 2048, true);
    }

    Message receive() throws InterruptedException {
        Message message = received.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 20 s");
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        connection.close();
        reader.interrupt();
    }
}
