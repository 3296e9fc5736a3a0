package org.mediasec.msrp.conference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediasec.msrp.ByteRange;
import org.mediasec.msrp.ContinuationFlag;
import org.mediasec.msrp.MsrpEncoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpHeader;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.traceability.Implements;

/**
 * The MSRP side of a conference focus (RFC 7701 3 and 7, on RFC 4975 switching), without I/O: every SEND a member
 * sends reaches every other member, as a message of the focus with its own Message-ID, transaction IDs and
 * chunks, CPIM-wrapped (RFC 3862) with the sender's identity for members that accept message/cpim. Nothing is
 * buffered whole: each body piece is written on to the recipients as it arrives.
 *
 * <ul>
 *   <li>One frame at a time per recipient connection: when another frame must go to a recipient while a forwarded
 *       chunk to it is open (another sender's, or a response), that chunk is interrupted (end-line '+', RFC 4975
 *       7.1) and resumed later as a new chunk at the next byte. Forwarded chunks carry Byte-Range end '*' for that
 *       reason. The last byte of every piece is held back until more follows, so a resumed chunk is never empty.</li>
 *   <li>The sender gets its transaction responses (200 per chunk, as Failure-Report allows, RFC 4975 7.2), 481 when
 *       the To-Path is not the focus's URI for it, 501 for methods other than SEND and REPORT, and a Success REPORT
 *       when it asked for one, once the whole message arrived.</li>
 *   <li>A recipient whose connection does not keep up ({@link MemberSink#overloaded()}) is released with a reason
 *       before anything more is written to it: the others never wait for it. A recipient that answers a forwarded
 *       chunk with an error (e.g. 413) gets nothing more of that message.</li>
 * </ul>
 * Not thread-safe: one conference runs on one thread.
 */
@Implements("GW-4")
public final class MsrpConference {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private static final int MAX_AWAITING = 1024;

    private final Map<String, Member> members = new LinkedHashMap<>();

    /** Adds a member; feed what it sends to the returned listener (from an {@code MsrpDecoder} of its connection). */
    public MsrpFrameListener join(ConferenceMember member, MemberSink sink) {
        if (members.containsKey(member.key())) {
            throw new IllegalArgumentException("member " + member.key() + " is already in the conference");
        }
        Member joined = new Member(member, sink);
        members.put(member.key(), joined);
        return joined;
    }

    /** The member left (its connection closed, or Subtract): what it was sending to others is aborted. */
    public void leave(String key) {
        Member gone = members.remove(key);
        if (gone == null) {
            return;
        }
        gone.gone = true;
        for (Forwarding forwarding : gone.sending()) {
            forwarding.abort();
        }
        for (Member other : members.values()) {
            other.flush();
        }
    }

    public int size() {
        return members.size();
    }

    private static String newId(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ALPHANUM[RANDOM.nextInt(ALPHANUM.length)];
        }
        return new String(id);
    }

    /** A member: the listener of what it sends, and the recipient of what others send. */
    private final class Member implements MsrpFrameListener {
        final ConferenceMember member;
        final MemberSink sink;
        boolean gone;
        /** The forwarded chunk whose frame is open on this member's connection, if any. */
        Forwarding open;
        /** Forwarded chunks to this member awaiting their response, by transaction ID (bounded: a member that never answers forgets the oldest). */
        final Map<String, Forwarding> awaiting = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Forwarding> eldest) {
                return size() > MAX_AWAITING;
            }
        };

        // what this member is sending now
        MsrpFrameHead head;
        Incoming incoming;
        int refusal;
        /** Its messages being received, by its Message-ID. */
        final Map<String, Incoming> messages = new HashMap<>();

        Member(ConferenceMember member, MemberSink sink) {
            this.member = member;
            this.sink = sink;
        }

        List<Forwarding> sending() {
            List<Forwarding> all = new ArrayList<>();
            messages.values().forEach(message -> all.addAll(message.forwardings));
            return all;
        }

        // ---- as a sender -------------------------------------------------------------------------------------

        @Override
        public void onFrameHead(MsrpFrameHead frameHead) {
            head = frameHead;
            incoming = null;
            refusal = 0;
            if (gone) {
                return;
            }
            MsrpUri to = frameHead.toPath().get(0);
            if (!to.sessionId().equals(member.focusUri().sessionId())) {
                refusal = 481; // RFC 4975 7.3: not this session
                return;
            }
            if (!(frameHead.startLine() instanceof MsrpStartLine.Request request) || !request.method().equals("SEND")) {
                return;
            }
            Optional<String> messageId = frameHead.messageId();
            if (messageId.isEmpty()) {
                refusal = 400;
                return;
            }
            if (!frameHead.hasBody()) {
                return; // a bodiless SEND (RFC 4975 7.1: e.g. to open the connection) is answered, not forwarded
            }
            Incoming message = messages.get(messageId.get());
            if (message == null) {
                message = new Incoming(messageId.get(), frameHead.contentType().orElse("text/plain"), frameHead.byteRange().flatMap(r -> asOptional(r.total())));
                messages.put(message.messageId, message);
                for (Member recipient : List.copyOf(members.values())) {
                    // a member gets what it accepts as such, or wrapped in CPIM (RFC 7701 7.1); else nothing
                    boolean deliverable = recipient.member.accepts(message.contentType) || recipient.member.acceptsCpim();
                    if (recipient != this && deliverable) {
                        message.forwardings.add(new Forwarding(this, recipient, message));
                    }
                }
            }
            incoming = message;
            long start = frameHead.byteRange().map(ByteRange::start).orElse(1L);
            for (Forwarding forwarding : message.forwardings) {
                forwarding.chunkStarts(start);
            }
        }

        @Override
        public void onBody(ByteBuffer piece) {
            if (incoming == null || gone) {
                return;
            }
            incoming.received += piece.remaining();
            for (Forwarding forwarding : incoming.forwardings) {
                forwarding.body(piece.duplicate());
            }
        }

        @Override
        public void onFrameEnd(String transactionId, ContinuationFlag flag) {
            MsrpFrameHead frameHead = head;
            head = null;
            if (frameHead == null || gone) {
                return;
            }
            switch (frameHead.startLine()) {
                case MsrpStartLine.Response response -> onResponse(response);
                case MsrpStartLine.Request request when request.method().equals("SEND") -> {
                    respond(frameHead, refusal == 0 ? 200 : refusal);
                    Incoming message = incoming;
                    incoming = null;
                    if (message != null && flag != ContinuationFlag.MORE) {
                        messages.remove(message.messageId);
                        for (Forwarding forwarding : message.forwardings) {
                            forwarding.end(flag);
                        }
                        if (flag == ContinuationFlag.END && frameHead.successReportRequested()) {
                            report(frameHead, message);
                        }
                    }
                }
                case MsrpStartLine.Request request when request.method().equals("REPORT") -> { } // RFC 4975 7.1.2: no response
                case MsrpStartLine.Request request -> respond(frameHead, refusal == 0 ? 501 : refusal);
            }
            for (Member member : members.values()) {
                member.flush();
            }
        }

        private void onResponse(MsrpStartLine.Response response) {
            Forwarding forwarding = awaiting.remove(response.transactionId());
            if (forwarding != null && response.statusCode() / 100 != 2) {
                forwarding.refusedByRecipient();
            }
        }

        /** A transaction response (RFC 4975 7.2), as Failure-Report allows. */
        private void respond(MsrpFrameHead request, int status) {
            if (request.responseWanted(status)) {
                writeFrame(MsrpEncoder.frame(request.response(status), new byte[0], ContinuationFlag.END));
            }
        }

        /** A Success REPORT for the whole message (RFC 4975 7.1.2): the focus has it, and passes it on. */
        private void report(MsrpFrameHead request, Incoming message) {
            MsrpFrameHead report = new MsrpFrameHead(new MsrpStartLine.Request(newId(12), "REPORT"), request.fromPath(), List.of(member.focusUri()),
                    List.of(new MsrpHeader("Message-ID", message.messageId), new MsrpHeader("Byte-Range", ByteRange.of(1, message.received, message.received).toString()),
                            new MsrpHeader("Status", "000 200 OK")), false);
            writeFrame(MsrpEncoder.frame(report, new byte[0], ContinuationFlag.END));
        }

        // ---- as a recipient ----------------------------------------------------------------------------------

        /** A whole frame to this member: the open forwarded chunk, if any, is interrupted first. */
        void writeFrame(byte[] frame) {
            if (!usable()) {
                return;
            }
            interruptOpen();
            sink.write(ByteBuffer.wrap(frame));
        }

        void interruptOpen() {
            if (open != null) {
                open.interrupt();
                open = null;
            }
        }

        /** False once released: a recipient that does not keep up is let go before more is queued (RFC 7701 needs no waiting). */
        boolean usable() {
            if (gone) {
                return false;
            }
            if (sink.overloaded()) {
                gone = true;
                members.remove(member.key());
                sink.release("MSRP member " + member.key() + " does not keep up with the conference");
                sending().forEach(Forwarding::abort); // what it was sending stops too
                return false;
            }
            return true;
        }

        void flush() {
            if (!gone) {
                sink.flush();
            }
        }
    }

    /** A message a member is sending, as received so far. */
    private static final class Incoming {
        final String messageId;
        final String contentType;
        final Optional<Long> total;
        final List<Forwarding> forwardings = new ArrayList<>();
        long received;

        Incoming(String messageId, String contentType, Optional<Long> total) {
            this.messageId = messageId;
            this.contentType = contentType;
            this.total = total;
        }
    }

    private static Optional<Long> asOptional(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    /** One message on its way from a sender to one recipient, as a message of the focus. */
    private final class Forwarding {
        final Member sender;
        final Member recipient;
        final Incoming message;
        final String messageId = newId(16);
        final byte[] prefix;
        final String contentType;
        /** Bytes of the forwarded message written to the recipient so far (the held byte not included). */
        long position;
        int held = -1;
        boolean frameOpen;
        String transactionId;
        boolean done;

        Forwarding(Member sender, Member recipient, Incoming message) {
            this.sender = sender;
            this.recipient = recipient;
            this.message = message;
            boolean wrap = recipient.member.acceptsCpim() && !message.contentType.toLowerCase(java.util.Locale.ROOT).startsWith("message/cpim");
            this.prefix = wrap ? cpimPrefix(sender.member.identity(), message.contentType) : new byte[0];
            this.contentType = wrap ? "message/cpim" : message.contentType;
        }

        /** An incoming chunk begins at {@code start} (1-based) of the sender's message. */
        void chunkStarts(long start) {
            if (done) {
                return;
            }
            long at = start <= 1 ? 0 : start - 1 + prefix.length;
            if (at != position + (held >= 0 ? 1 : 0)) {
                // chunks out of order cannot be streamed on: this recipient gets no more of the message
                abort();
                return;
            }
            if (start <= 1 && prefix.length > 0) {
                body(ByteBuffer.wrap(prefix));
            }
        }

        void body(ByteBuffer piece) {
            if (done || !piece.hasRemaining()) {
                return;
            }
            if (!recipient.usable()) {
                done = true;
                return;
            }
            if (held >= 0) {
                openFrame();
                recipient.sink.write(ByteBuffer.wrap(new byte[] {(byte) held}));
                position++;
                held = -1;
            }
            if (piece.remaining() > 1) {
                openFrame();
                ByteBuffer most = piece.duplicate();
                most.limit(most.position() + piece.remaining() - 1);
                position += most.remaining();
                recipient.sink.write(most);
            }
            held = piece.get(piece.limit() - 1) & 0xff;
        }

        /** The sender's chunk ended: '+' keeps the forwarded frame open for later pieces, '$' and '#' end it. */
        void end(ContinuationFlag flag) {
            if (done) {
                return;
            }
            done = true;
            if (!recipient.usable()) {
                return;
            }
            if (held >= 0) {
                openFrame();
                recipient.sink.write(ByteBuffer.wrap(new byte[] {(byte) held}));
                position++;
                held = -1;
            }
            if (frameOpen) {
                recipient.sink.write(ByteBuffer.wrap(MsrpEncoder.endLine(transactionId, flag, true)));
                frameOpen = false;
                recipient.open = null;
            }
        }

        void abort() {
            if (done) {
                return;
            }
            done = true;
            if (frameOpen && recipient.usable()) {
                recipient.sink.write(ByteBuffer.wrap(MsrpEncoder.endLine(transactionId, ContinuationFlag.ABORT, true)));
                frameOpen = false;
                recipient.open = null;
            }
        }

        void refusedByRecipient() {
            abort(); // RFC 4975 7.2 (413 and other errors): send no more of this message
        }

        /** Another frame must go to the recipient: end this chunk here ('+'), to resume at the next byte. */
        void interrupt() {
            if (frameOpen) {
                recipient.sink.write(ByteBuffer.wrap(MsrpEncoder.endLine(transactionId, ContinuationFlag.MORE, true)));
                frameOpen = false;
            }
        }

        private void openFrame() {
            if (frameOpen) {
                return;
            }
            if (recipient.open != null && recipient.open != this) {
                recipient.interruptOpen();
            }
            transactionId = newId(16); // random: a body cannot be made to contain its end-line (RFC 4975 7.1)
            Optional<Long> total = message.total.map(t -> t + prefix.length);
            List<MsrpHeader> headers = new ArrayList<>(4);
            headers.add(new MsrpHeader("Message-ID", messageId));
            headers.add(new MsrpHeader("Byte-Range", (position + 1) + "-*/" + total.map(String::valueOf).orElse("*")));
            headers.add(new MsrpHeader("Content-Type", contentType)); // RFC 4975 9: last before the body
            MsrpFrameHead head = new MsrpFrameHead(new MsrpStartLine.Request(transactionId, "SEND"), recipient.member.path(),
                    List.of(recipient.member.focusUri()), headers, true);
            recipient.sink.write(ByteBuffer.wrap(MsrpEncoder.head(head)));
            recipient.awaiting.put(transactionId, this);
            frameOpen = true;
            recipient.open = this;
        }
    }

    /** RFC 3862 3: the CPIM header block and the encapsulated MIME header, before the content. */
    private static byte[] cpimPrefix(String identity, String contentType) {
        String prefix = "From: " + identity + "\r\n"
                + "DateTime: " + java.time.format.DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + "\r\n"
                + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "\r\n";
        return prefix.getBytes(StandardCharsets.UTF_8);
    }
}
