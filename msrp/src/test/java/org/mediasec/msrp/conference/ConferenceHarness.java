package org.mediasec.msrp.conference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSessionListener;

/**
 * A conference and UEs around it, wired without sockets: each UE is an {@link MsrpSession} (the endpoint code, an
 * independent check of what the focus writes: framing, Byte-Range order, reassembly), bytes moved by {@link #pump}.
 */
final class ConferenceHarness {

    record Received(String messageId, String contentType, byte[] body) {}

    final MsrpConference conference = new MsrpConference();
    final Map<String, Ue> ues = new LinkedHashMap<>();

    final class Ue implements MemberSink, MsrpSessionListener {
        final String name;
        final MsrpUri uri;
        final MsrpUri focusUri;
        final MsrpSession session;
        final MsrpDecoder fromFocus = new MsrpDecoder();
        final MsrpDecoder toFocus = new MsrpDecoder();
        final MsrpFrameListener focusSide;
        final ByteArrayOutputStream towardsUe = new ByteArrayOutputStream();
        final ByteArrayOutputStream towardsFocus = new ByteArrayOutputStream();
        final List<Received> received = new ArrayList<>();
        final List<Integer> reports = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        long limit = Long.MAX_VALUE;
        boolean reading = true;
        String released;

        Ue(String name, List<String> acceptTypes) {
            this.name = name;
            this.uri = MsrpUri.of(true, "ue-" + name + ".example.org", 2855, "ue" + name);
            this.focusUri = MsrpUri.of(true, "mrfp.example.org", 2855, "focus" + name);
            this.session = new MsrpSession(List.of(uri), List.of(focusUri), false, 64L << 20, towardsFocus::writeBytes, this);
            this.focusSide = conference.join(new ConferenceMember(name, List.of(uri), focusUri, acceptTypes, "\"" + name + "\" <sip:" + name + "@example.org>"), this);
        }

        @Override
        public void write(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            towardsUe.writeBytes(copy);
        }

        @Override
        public void flush() {}

        @Override
        public boolean overloaded() {
            return towardsUe.size() > limit;
        }

        @Override
        public void release(String reason) {
            released = reason;
        }

        @Override
        public void onMessage(String messageId, String contentType, byte[] body) {
            received.add(new Received(messageId, contentType, body));
        }

        @Override
        public void onReport(String messageId, int statusCode) {
            reports.add(statusCode);
        }

        @Override
        public void onProtocolError(String problem) {
            problems.add(problem);
        }
    }

    Ue join(String name, String... acceptTypes) {
        Ue ue = new Ue(name, List.of(acceptTypes));
        ues.put(name, ue);
        return ue;
    }

    /** Moves bytes both ways until nothing moves. */
    void pump() throws MsrpParseException {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Ue ue : ues.values()) {
                if (ue.reading && ue.towardsUe.size() > 0 && ue.released == null) {
                    byte[] bytes = ue.towardsUe.toByteArray();
                    ue.towardsUe.reset();
                    ue.fromFocus.decode(ByteBuffer.wrap(bytes), ue.session);
                    moved = true;
                }
                if (ue.towardsFocus.size() > 0) {
                    byte[] bytes = ue.towardsFocus.toByteArray();
                    ue.towardsFocus.reset();
                    ue.toFocus.decode(ByteBuffer.wrap(bytes), ue.focusSide);
                    moved = true;
                }
            }
        }
    }

    /** Feeds the focus what a UE sends, in pieces of {@code piece} bytes (streaming: no piece holds a message whole). */
    void feed(Ue ue, byte[] bytes, int piece) throws MsrpParseException {
        for (int at = 0; at < bytes.length; at += piece) {
            ue.toFocus.decode(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)), ue.focusSide);
        }
    }
}
