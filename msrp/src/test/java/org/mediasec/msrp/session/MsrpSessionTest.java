package org.mediasec.msrp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;

/** Two sessions wired back to back through the decoder: chunking, reassembly, responses, REPORTs, refusals. */
class MsrpSessionTest {

    private static final MsrpUri A = MsrpUri.of(true, "127.0.0.1", 5001, "sessA");
    private static final MsrpUri B = MsrpUri.of(true, "127.0.0.1", 5002, "sessB");

    private record Received(String messageId, String contentType, byte[] body) {}

    /** One direction of the wire: frames written by one session are decoded, in pieces, into the other. */
    private static final class Wire {
        final MsrpDecoder decoder = new MsrpDecoder();
        MsrpSession target;
        final List<String> frames = new CopyOnWriteArrayList<>();

        void accept(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.ISO_8859_1));
            try {
                // split in two to exercise the streaming decoder
                int half = frame.length / 2;
                decoder.decode(ByteBuffer.wrap(frame, 0, half), target);
                decoder.decode(ByteBuffer.wrap(frame, half, frame.length - half), target);
            } catch (MsrpParseException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final List<Received> atA = new CopyOnWriteArrayList<>();
    private final List<Received> atB = new CopyOnWriteArrayList<>();
    private final List<Integer> reportsAtA = new CopyOnWriteArrayList<>();
    private final Wire aToB = new Wire();
    private final Wire bToA = new Wire();

    private MsrpSession a(List<MsrpUri> peerPath) {
        return new MsrpSession(List.of(A), peerPath, true, 4 << 20, aToB::accept, new MsrpSessionListener() {
            @Override
            public void onMessage(String messageId, String contentType, byte[] body) {
                atA.add(new Received(messageId, contentType, body));
            }

            @Override
            public void onReport(String messageId, int statusCode) {
                reportsAtA.add(statusCode);
            }
        });
    }

    private MsrpSession b(long max) {
        return new MsrpSession(List.of(B), List.of(A), true, max, bToA::accept, (id, type, body) -> atB.add(new Received(id, type, body)));
    }

    private void wire(MsrpSession a, MsrpSession b) {
        aToB.target = b;
        bToA.target = a;
    }

    @Test
    void aLargeMessageIsChunkedReassembledAndConfirmedWithASuccessReport() throws Exception {
        MsrpSession a = a(List.of(B));
        MsrpSession b = b(4 << 20);
        wire(a, b);
        byte[] file = new byte[1 << 20];
        new Random(7).nextBytes(file);
        a.send("application/octet-stream", file, 2048, true).get(5, TimeUnit.SECONDS);
        assertThat(atB).singleElement().satisfies(received -> {
            assertThat(received.body()).isEqualTo(file);
            assertThat(received.contentType()).isEqualTo("application/octet-stream");
        });
        assertThat(reportsAtA).containsExactly(200);
        assertThat(aToB.frames).hasSize(512);
        assertThat(aToB.frames.get(0)).contains("Byte-Range: 1-2048/1048576").contains("SEND");
        assertThat(bToA.frames).filteredOn(f -> f.lines().findFirst().orElseThrow().endsWith(" 200 OK")).hasSize(512);
        assertThat(bToA.frames).filteredOn(f -> f.contains("REPORT")).singleElement().asString().contains("Status: 000 200 OK");
    }

    @Test
    void textBothWays() throws Exception {
        MsrpSession a = a(List.of(B));
        MsrpSession b = b(1024);
        wire(a, b);
        a.send("text/plain", "hello".getBytes(StandardCharsets.UTF_8), 1024, false).get(5, TimeUnit.SECONDS);
        b.send("text/plain", "hi back".getBytes(StandardCharsets.UTF_8), 1024, false).get(5, TimeUnit.SECONDS);
        assertThat(new String(atB.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(new String(atA.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("hi back");
    }

    @Test
    void aSendToAnotherSessionIsRefusedWith481() {
        MsrpSession a = a(List.of(MsrpUri.of(true, "127.0.0.1", 5002, "notB")));
        MsrpSession b = b(1024);
        wire(a, b);
        assertThatThrownBy(() -> a.send("text/plain", "x".getBytes(StandardCharsets.UTF_8), 1024, false).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("481");
        assertThat(atB).isEmpty();
    }

    @Test
    void aMessageOverTheLimitIsStoppedWith413() {
        MsrpSession a = a(List.of(B));
        MsrpSession b = b(100);
        wire(a, b);
        assertThatThrownBy(() -> a.send("text/plain", new byte[1000], 64, false).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("413");
        assertThat(atB).isEmpty();
    }

    @Test
    void sessionMatchingOnTheWholeUriComparesTheAuthority() {
        MsrpSession a = a(List.of(MsrpUri.of(true, "192.0.2.9", 9, "sessB")));
        MsrpSession strict = new MsrpSession(List.of(B), List.of(A), false, 1024, bToA::accept, (id, type, body) -> atB.add(new Received(id, type, body)));
        wire(a, strict);
        assertThatThrownBy(() -> a.send("text/plain", "x".getBytes(StandardCharsets.UTF_8), 1024, false).get(5, TimeUnit.SECONDS))
                .hasMessageContaining("481");
    }

    @Test
    void closingFailsWhatIsUnconfirmed() {
        MsrpSession a = new MsrpSession(List.of(A), List.of(B), true, 1024, frame -> { }, (id, type, body) -> { });
        var pending = a.send("text/plain", "lost".getBytes(StandardCharsets.UTF_8), 1024, false);
        a.closed("peer reset");
        assertThat(pending).isCompletedExceptionally();
    }
}
