package org.mediasec.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.RecordingListener;

/** One direction of the MSRP-aware relay (GW-6): paths rewritten, everything else byte for byte, in any split. */
class MsrpRelayDirectionTest {

    private static final MsrpUri GATEWAY_TOWARDS_ALICE = MsrpUri.of(true, "192.0.2.1", 5000, "gw-a");
    private static final MsrpUri GATEWAY_TOWARDS_BOB = MsrpUri.of(false, "198.51.100.1", 6000, "gw-b");
    private static final MsrpUri BOB = MsrpUri.of(false, "198.51.100.9", 7000, "bob");
    private static final MsrpUri ALICE = MsrpUri.of(true, "203.0.113.5", 8000, "alice");
    private static final MsrpLimits LIMITS = new MsrpLimits(4096, 64, 1 << 20);

    /** A→B: ours on Alice's side, Bob's path and ours on Bob's side beyond. */
    private static MsrpRelayDirection aliceToBob() {
        return new MsrpRelayDirection(new MsrpPathRewrite(GATEWAY_TOWARDS_ALICE, List.of(BOB), List.of(GATEWAY_TOWARDS_BOB)), LIMITS);
    }

    private static String send(String tid, MsrpUri to, String body, char flag, String... extra) {
        return "MSRP " + tid + " SEND\r\nTo-Path: " + to + "\r\nFrom-Path: " + ALICE + "\r\nMessage-ID: m1\r\nByte-Range: 1-" + body.length() + "/*\r\n"
                + String.join("", extra) + "Content-Type: text/plain\r\n\r\n" + body + "\r\n-------" + tid + flag + "\r\n";
    }

    /** What came out: forwarded bytes and answers. */
    private static final class Recorded implements MsrpRelayDirection.Output {
        final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        final List<String> answers = new ArrayList<>();

        @Override
        public void forward(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            forwarded.writeBytes(copy);
        }

        @Override
        public void answer(byte[] frame) {
            answers.add(new String(frame, StandardCharsets.UTF_8));
        }

        String text() {
            return forwarded.toString(StandardCharsets.UTF_8);
        }
    }

    private static Recorded relay(MsrpRelayDirection direction, String input, int... splits) throws MsrpParseException {
        Recorded out = new Recorded();
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int split : splits) {
            direction.accept(ByteBuffer.wrap(bytes, from, split - from), out);
            from = split;
        }
        direction.accept(ByteBuffer.wrap(bytes, from, bytes.length - from), out);
        return out;
    }

    @Test
    @Tag("GW-6")
    void aSendLeavesWithTheFarPeersPathAndOursAndEverythingElseUnchanged() throws Exception {
        String in = send("tx01", GATEWAY_TOWARDS_ALICE, "hello Bob", '$', "Success-Report: yes\r\nX-Unknown: kept as is\r\n");
        Recorded out = relay(aliceToBob(), in);
        assertThat(out.text()).isEqualTo(in.replace("To-Path: " + GATEWAY_TOWARDS_ALICE, "To-Path: " + BOB)
                .replace("From-Path: " + ALICE, "From-Path: " + GATEWAY_TOWARDS_BOB));
        assertThat(out.answers).isEmpty();
    }

    @Test
    @Tag("GW-6")
    void everySplitOfTwoInterleavedMessagesGivesTheSameBytes() throws Exception {
        // two messages, chunked and interleaved (RFC 4975 7.1), the second chunk interrupted ('+') and resumed ('$')
        String in = send("tx01", GATEWAY_TOWARDS_ALICE, "first part", '+') + send("tx02", GATEWAY_TOWARDS_ALICE, "other message", '$')
                + send("tx03", GATEWAY_TOWARDS_ALICE, "-------tx03$ looks like an end-line but is body", '$')
                + "MSRP tx04 REPORT\r\nTo-Path: " + GATEWAY_TOWARDS_ALICE + "\r\nFrom-Path: " + ALICE + "\r\nMessage-ID: m1\r\nStatus: 000 200 OK\r\n-------tx04$\r\n";
        String expected = relay(aliceToBob(), in).text();
        assertThat(expected).contains("To-Path: " + BOB).doesNotContain(ALICE.toString());
        for (int split = 1; split < in.length(); split++) {
            assertThat(relay(aliceToBob(), in, split).text()).as("split at %d", split).isEqualTo(expected);
        }
        RecordingListener decoded = new RecordingListener();
        new MsrpDecoder(LIMITS).decode(ByteBuffer.wrap(expected.getBytes(StandardCharsets.UTF_8)), decoded);
        assertThat(decoded.frames).hasSize(4);
        assertThat(new String(decoded.frames.get(2).body(), StandardCharsets.US_ASCII)).isEqualTo("-------tx03$ looks like an end-line but is body");
    }

    @Test
    @Tag("GW-6")
    void aRequestForAnotherSessionGoesNoFurtherAndIsAnswered481() throws Exception {
        MsrpUri elsewhere = MsrpUri.of(true, "192.0.2.1", 5000, "someone-else");
        Recorded out = relay(aliceToBob(), send("tx09", elsewhere, "lost", '$') + send("tx010", elsewhere, "quiet", '$', "Failure-Report: no\r\n"));
        assertThat(out.text()).isEmpty();
        assertThat(out.answers).singleElement().satisfies(answer -> assertThat(answer).startsWith("MSRP tx09 481 ").contains("To-Path: " + ALICE));
    }

    @Test
    @Tag("GW-6")
    void responsesFindTheirWayBack() throws Exception {
        MsrpRelayDirection bobToAlice = new MsrpRelayDirection(new MsrpPathRewrite(GATEWAY_TOWARDS_BOB, List.of(ALICE), List.of(GATEWAY_TOWARDS_ALICE)), LIMITS);
        Recorded out = relay(bobToAlice, "MSRP tx01 200 OK\r\nTo-Path: " + GATEWAY_TOWARDS_BOB + "\r\nFrom-Path: " + BOB + "\r\n-------tx01$\r\n"
                + "MSRP tx02 481 Session Does Not Exist\r\nTo-Path: " + GATEWAY_TOWARDS_BOB + "\r\nFrom-Path: " + BOB + "\r\n-------tx02$\r\n");
        assertThat(out.text()).isEqualTo("MSRP tx01 200 OK\r\nTo-Path: " + ALICE + "\r\nFrom-Path: " + GATEWAY_TOWARDS_ALICE + "\r\n-------tx01$\r\n"
                + "MSRP tx02 481 Session Does Not Exist\r\nTo-Path: " + ALICE + "\r\nFrom-Path: " + GATEWAY_TOWARDS_ALICE + "\r\n-------tx02$\r\n");
        assertThat(out.answers).isEmpty();
    }

    @Test
    @Tag("GW-6")
    void withRelaysOnAPathTheGatewayIsTheLastHopOfOneSideAndTheFirstOfTheOther() throws Exception {
        // RFC 4976: Bob is behind a relay; his a=path lists the relay first, Bob last (RFC 4975 8.1)
        MsrpUri relay = MsrpUri.of(true, "198.51.100.7", 2855, "relay-x1");
        MsrpRelayDirection aliceToBob = new MsrpRelayDirection(new MsrpPathRewrite(GATEWAY_TOWARDS_ALICE, List.of(relay, BOB), List.of(GATEWAY_TOWARDS_BOB)), LIMITS);
        String in = send("tx01", GATEWAY_TOWARDS_ALICE, "via the relay", '$');
        assertThat(relay(aliceToBob, in).text()).isEqualTo(in.replace("To-Path: " + GATEWAY_TOWARDS_ALICE, "To-Path: " + relay + " " + BOB)
                .replace("From-Path: " + ALICE, "From-Path: " + GATEWAY_TOWARDS_BOB));
        // what Bob sends arrives through the relay (From-Path: relay, Bob) and leaves towards Alice with our path only
        MsrpRelayDirection bobToAlice = new MsrpRelayDirection(new MsrpPathRewrite(GATEWAY_TOWARDS_BOB, List.of(ALICE), List.of(GATEWAY_TOWARDS_ALICE)), LIMITS);
        String fromBob = "MSRP tx02 SEND\r\nTo-Path: " + GATEWAY_TOWARDS_BOB + "\r\nFrom-Path: " + relay + " " + BOB
                + "\r\nMessage-ID: m2\r\nByte-Range: 1-2/2\r\nContent-Type: text/plain\r\n\r\nhi\r\n-------tx02$\r\n";
        Recorded out = relay(bobToAlice, fromBob);
        assertThat(out.text()).isEqualTo(fromBob.replace("To-Path: " + GATEWAY_TOWARDS_BOB, "To-Path: " + ALICE)
                .replace("From-Path: " + relay + " " + BOB, "From-Path: " + GATEWAY_TOWARDS_ALICE));
        assertThat(out.answers).isEmpty();
    }

    @Test
    @Tag("GW-6")
    void anOversizedHeadOrChunkStopsTheStreamWithItsStatusCode() {
        String longHead = "MSRP tx01 SEND\r\nTo-Path: " + GATEWAY_TOWARDS_ALICE + "\r\nFrom-Path: " + ALICE + "\r\nX-Padding: " + "p".repeat(LIMITS.maxHeadBytes()) + "\r\n";
        Recorded out = new Recorded();
        assertThatThrownBy(() -> aliceToBob().accept(ByteBuffer.wrap(longHead.getBytes(StandardCharsets.US_ASCII)), out))
                .isInstanceOfSatisfying(MsrpParseException.class, e -> assertThat(e.statusCode()).isEqualTo(413));
        assertThat(out.forwarded.size()).isZero();
        String bigChunk = "MSRP tx02 SEND\r\nTo-Path: " + GATEWAY_TOWARDS_ALICE + "\r\nFrom-Path: " + ALICE + "\r\nMessage-ID: m1\r\nByte-Range: 1-*/*"
                + "\r\nContent-Type: text/plain\r\n\r\n" + "b".repeat((int) LIMITS.maxBodyBytes() + 1);
        Recorded chunkOut = new Recorded();
        assertThatThrownBy(() -> aliceToBob().accept(ByteBuffer.wrap(bigChunk.getBytes(StandardCharsets.US_ASCII)), chunkOut))
                .isInstanceOfSatisfying(MsrpParseException.class, e -> assertThat(e.statusCode()).isEqualTo(413));
    }

    @Test
    void aMalformedStreamStopsWithoutForwardingHalfAHead() throws Exception {
        MsrpRelayDirection direction = aliceToBob();
        Recorded out = new Recorded();
        String good = send("tx01", GATEWAY_TOWARDS_ALICE, "fine", '$');
        direction.accept(ByteBuffer.wrap(good.getBytes(StandardCharsets.US_ASCII)), out);
        int before = out.forwarded.size();
        assertThatThrownBy(() -> direction.accept(ByteBuffer.wrap("MSRP tx02 SEND\r\nTo-Path: not a uri\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), out))
                .isInstanceOf(MsrpParseException.class);
        assertThat(out.forwarded.size()).isEqualTo(before);
        assertThatThrownBy(() -> direction.accept(ByteBuffer.wrap(good.getBytes(StandardCharsets.US_ASCII)), out)).isInstanceOf(MsrpParseException.class);
    }
}
