package org.mediasec.msrp.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mediasec.msrp.ContinuationFlag;
import org.mediasec.msrp.MsrpEncoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpHeader;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;

/** The conference focus with real MSRP endpoints (MsrpSession) as members: every SEND reaches every other member. */
class MsrpConferenceTest {

    private final ConferenceHarness harness = new ConferenceHarness();

    @Test
    void aMessageReachesEveryOtherMemberAsItsOwnMessageCpimWrappedWhereAccepted() throws Exception {
        var alice = harness.join("alice", "text/plain", "message/cpim");
        var bob = harness.join("bob", "text/plain");
        var carol = harness.join("carol", "message/cpim", "text/plain");
        CompletableFuture<Void> sent = alice.session.send("text/plain", "hello all".getBytes(StandardCharsets.UTF_8), 2048, true);
        harness.pump();
        assertThat(sent).isCompleted(); // 200 and the Success REPORT came back
        assertThat(alice.received).isEmpty(); // not echoed to the sender
        assertThat(bob.received).singleElement().satisfies(m -> {
            assertThat(m.contentType()).isEqualTo("text/plain");
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("hello all");
        });
        assertThat(carol.received).singleElement().satisfies(m -> {
            assertThat(m.contentType()).isEqualTo("message/cpim");
            String cpim = new String(m.body(), StandardCharsets.UTF_8);
            assertThat(cpim).startsWith("From: \"alice\" <sip:alice@example.org>\r\nDateTime: ").contains("\r\n\r\nContent-Type: text/plain\r\n\r\nhello all");
        });
        assertThat(bob.received.get(0).messageId()).isNotEqualTo(carol.received.get(0).messageId());
        assertThat(bob.problems).isEmpty();
    }

    @Test
    void aLargeMessageStreamsThroughWhileOthersChatAndArrivesIntact() throws Exception {
        var alice = harness.join("alice", "*");
        var bob = harness.join("bob", "*");
        var carol = harness.join("carol", "message/cpim", "*");
        byte[] file = new byte[3 << 20];
        new Random(7).nextBytes(file);
        // Alice's file as one big chunk, fed in 1 KiB pieces; Bob chats while it is half through
        MsrpFrameHead head = new MsrpFrameHead(new MsrpStartLine.Request("tfile0001", "SEND"), java.util.List.of(alice.focusUri), java.util.List.of(alice.uri),
                java.util.List.of(new MsrpHeader("Message-ID", "file1"), new MsrpHeader("Byte-Range", "1-" + file.length + "/" + file.length),
                        new MsrpHeader("Content-Type", "application/octet-stream")), true);
        byte[] frame = MsrpEncoder.frame(head, file, ContinuationFlag.END);
        int half = frame.length / 2;
        alice.reading = false; // Alice is busy sending: what comes to her waits (her answers would cut into her own frame)
        harness.feed(alice, java.util.Arrays.copyOfRange(frame, 0, half), 1024);
        bob.session.send("text/plain", "meanwhile".getBytes(StandardCharsets.UTF_8), 2048, false);
        harness.pump();
        assertThat(carol.received).extracting(ConferenceHarness.Received::contentType).containsExactly("message/cpim"); // Bob's chat got through
        harness.feed(alice, java.util.Arrays.copyOfRange(frame, half, frame.length), 1024);
        alice.reading = true;
        harness.pump();
        assertThat(alice.received).extracting(ConferenceHarness.Received::contentType).containsExactly("text/plain");
        assertThat(bob.received).singleElement().satisfies(m -> sameBytes(m.body(), file));
        assertThat(carol.received).hasSize(2);
        byte[] wrapped = carol.received.get(1).body();
        sameBytes(java.util.Arrays.copyOfRange(wrapped, wrapped.length - file.length, wrapped.length), file);
        assertThat(new String(wrapped, 0, 200, StandardCharsets.ISO_8859_1)).contains("Content-Type: application/octet-stream");
        assertThat(carol.problems).isEmpty();
        assertThat(bob.problems).isEmpty();
    }

    @Test
    void aSlowMemberIsReleasedAndTheOthersGoOn() throws Exception {
        var alice = harness.join("alice", "*");
        var bob = harness.join("bob", "*");
        var slow = harness.join("slow", "*");
        slow.reading = false;
        slow.limit = 64 * 1024;
        byte[] body = new byte[200 * 1024];
        CompletableFuture<Void> sent = alice.session.send("application/octet-stream", body, 4096, false);
        harness.pump();
        assertThat(slow.released).contains("does not keep up");
        assertThat(bob.received).singleElement().satisfies(m -> assertThat(m.body()).hasSize(body.length));
        assertThat(sent).isCompleted();
        assertThat(harness.conference.size()).isEqualTo(2);
    }

    @Test
    void aSenderLeavingMidMessageAbortsItAtTheRecipients() throws Exception {
        var alice = harness.join("alice", "*");
        var bob = harness.join("bob", "*");
        MsrpFrameHead head = new MsrpFrameHead(new MsrpStartLine.Request("tpart0001", "SEND"), java.util.List.of(alice.focusUri), java.util.List.of(alice.uri),
                java.util.List.of(new MsrpHeader("Message-ID", "part1"), new MsrpHeader("Byte-Range", "1-100000/100000"),
                        new MsrpHeader("Content-Type", "text/plain")), true);
        byte[] frame = MsrpEncoder.frame(head, new byte[100000], ContinuationFlag.END);
        harness.feed(alice, java.util.Arrays.copyOfRange(frame, 0, 5000), 1000);
        harness.conference.leave("alice");
        harness.pump();
        assertThat(bob.received).isEmpty(); // the chunk ended with '#': nothing half-delivered
        // and the conference goes on for Bob
        var carol = harness.join("carol", "*");
        bob.session.send("text/plain", "still here".getBytes(StandardCharsets.UTF_8), 2048, false);
        harness.pump();
        assertThat(carol.received).hasSize(1);
    }

    @Test
    void aSendToAnotherSessionIs481AndUnknownMethodsAre501() throws Exception {
        var alice = harness.join("alice", "*");
        harness.join("bob", "*");
        MsrpUri elsewhere = MsrpUri.of(true, "mrfp.example.org", 2855, "nosuchsession");
        MsrpFrameHead stray = new MsrpFrameHead(new MsrpStartLine.Request("tstray001", "SEND"), java.util.List.of(elsewhere), java.util.List.of(alice.uri),
                java.util.List.of(new MsrpHeader("Message-ID", "x1"), new MsrpHeader("Content-Type", "text/plain")), true);
        MsrpFrameHead auth = new MsrpFrameHead(new MsrpStartLine.Request("tauth0001", "AUTH"), java.util.List.of(alice.focusUri), java.util.List.of(alice.uri),
                java.util.List.of(), false);
        harness.feed(alice, MsrpEncoder.frame(stray, "x".getBytes(StandardCharsets.UTF_8), ContinuationFlag.END), 4096);
        harness.feed(alice, MsrpEncoder.frame(auth, new byte[0], ContinuationFlag.END), 4096);
        String answers = alice.towardsUe.toString(StandardCharsets.UTF_8);
        assertThat(answers).contains("MSRP tstray001 481").contains("MSRP tauth0001 501");
        assertThat(harness.ues.get("bob").towardsUe.size()).isZero();
    }

    /** Equal bytes, reported by length and first difference rather than by printing megabytes. */
    private static void sameBytes(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        assertThat(java.util.Arrays.mismatch(actual, expected)).as("first differing byte").isEqualTo(-1);
    }
}
