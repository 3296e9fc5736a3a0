package org.mediasec.msrp.session;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.mediasec.msrp.ByteRange;
import org.mediasec.msrp.ContinuationFlag;
import org.mediasec.msrp.MsrpEncoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpHeader;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;

/**
 * One MSRP session of an endpoint (RFC 4975), without I/O: feed it the frames an {@link org.mediasec.msrp.MsrpDecoder}
 * finds (it is their {@link MsrpFrameListener}); it writes its frames to {@code out}.
 * <ul>
 * <li>Sending: a message becomes SEND chunks of at most {@code chunkSize} bytes, each with the message's Message-ID
 * and its Byte-Range (RFC 4975 7.1.1), a fresh transaction ID, Content-Type last; the future completes when every
 * chunk got its 200 and, if asked for, the Success REPORT arrived; a non-2xx response fails it.</li>
 * <li>Receiving: session matching ({@link SessionMatching}: the first To-Path URI, the whole exchange of paths for a
 * strict RFC 4975 endpoint, or the session-id only for CEMA and session matching peers), else 481; chunks reassembled in order by Message-ID; 200 per chunk unless Failure-Report says otherwise
 * (7.2); a Success REPORT when asked (7.1.2); 413 when a message exceeds {@code maxMessageBytes}; 501 for unknown
 * methods; 400 for a SEND without Message-ID or with a Byte-Range out of order.</li>
 * </ul>
 * Thread safety: frames are fed from one thread; {@link #send} may be called from another.
 */
public final class MsrpSession implements MsrpFrameListener {

    /** How an incoming request is matched to this session; 481 when it does not match (RFC 4975 7.3). */
    public enum SessionMatching {
        /**
         * A strict RFC 4975 endpoint that knows neither CEMA (RFC 6714) nor session matching (draft-ietf-simple-msrp-
         * sessmatch): the To-Path left for it is exactly its own URI (RFC 4975 6.1 comparison: scheme, host, port,
         * session-id, transport), and the last From-Path URI is exactly the peer's URI from its SDP a=path (RFC 4975
         * 5.4/7.3). This is the endpoint an application-agnostic middlebox cannot serve (TR 29.828 4.1.4).
         */
        STRICT,
        /** The first To-Path URI is our own (RFC 4975 6.1 comparison). */
        URI,
        /** The session-id alone (CEMA, RFC 6714; RFC 6135; the session matching update). */
        SESSION_ID
    }

    private final List<MsrpUri> ownPath;
    private final List<MsrpUri> peerPath;
    private final SessionMatching matching;
    private final long maxMessageBytes;
    private final Consumer<byte[]> out;
    private final MsrpSessionListener listener;

    private final Map<String, Outgoing> outgoingByTransaction = new HashMap<>();
    private final Map<String, Outgoing> outgoingByMessage = new HashMap<>();
    private final Map<String, Incoming> incoming = new HashMap<>();

    // the frame being received
    private MsrpFrameHead head;
    private Incoming current;
    private int refusal;

    private static final class Outgoing {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int unanswered;
        boolean reportPending;
    }

    private static final class Incoming {
        final String contentType;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean refused;

        Incoming(String contentType) {
            this.contentType = contentType;
        }
    }

    public MsrpSession(List<MsrpUri> ownPath, List<MsrpUri> peerPath, boolean matchSessionIdOnly, long maxMessageBytes, Consumer<byte[]> out,
            MsrpSessionListener listener) {
        this(ownPath, peerPath, matchSessionIdOnly ? SessionMatching.SESSION_ID : SessionMatching.URI, maxMessageBytes, out, listener);
    }

    public MsrpSession(List<MsrpUri> ownPath, List<MsrpUri> peerPath, SessionMatching matching, long maxMessageBytes, Consumer<byte[]> out,
            MsrpSessionListener listener) {
        this.ownPath = List.copyOf(ownPath);
        this.peerPath = List.copyOf(peerPath);
        this.matching = matching;
        this.maxMessageBytes = maxMessageBytes;
        this.out = out;
        this.listener = listener;
    }

    // ---- sending --------------------------------------------------------------------------------------------

    /** Sends one message in chunks; the future completes when the peer has confirmed it (see the class comment). */
    public CompletableFuture<Void> send(String contentType, byte[] body, int chunkSize, boolean successReport) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        String messageId = MsrpIds.next(16);
        Outgoing outgoing = new Outgoing();
        int chunks = Math.max(1, (body.length + chunkSize - 1) / chunkSize);
        List<byte[]> frames = new ArrayList<>(chunks);
        List<String> transactions = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            int from = i * chunkSize;
            int to = Math.min(body.length, from + chunkSize);
            byte[] chunk = java.util.Arrays.copyOfRange(body, from, to);
            String transactionId = transactionIdFor(chunk);
            List<MsrpHeader> headers = new ArrayList<>();
            headers.add(new MsrpHeader("Message-ID", messageId));
            if (successReport) {
                headers.add(new MsrpHeader("Success-Report", "yes"));
            }
            headers.add(new MsrpHeader("Byte-Range", ByteRange.of(from + 1L, to, body.length).toString()));
            if (body.length > 0) {
                headers.add(new MsrpHeader("Content-Type", contentType)); // RFC 4975 9: last header before the body
            }
            MsrpFrameHead frameHead = new MsrpFrameHead(new MsrpStartLine.Request(transactionId, "SEND"), peerPath, ownPath, headers, body.length > 0);
            frames.add(MsrpEncoder.frame(frameHead, chunk, i == chunks - 1 ? ContinuationFlag.END : ContinuationFlag.MORE));
            transactions.add(transactionId);
            listener.onFrame(true, frameHead, chunk.length);
        }
        synchronized (this) {
            outgoing.unanswered = chunks;
            outgoing.reportPending = successReport;
            transactions.forEach(t -> outgoingByTransaction.put(t, outgoing));
            outgoingByMessage.put(messageId, outgoing);
        }
        for (byte[] frame : frames) {
            write(frame);
        }
        return outgoing.done;
    }

    /** A transaction ID whose end-line does not occur in the chunk (RFC 4975 7.1). */
    private static String transactionIdFor(byte[] chunk) {
        while (true) {
            String candidate = MsrpIds.next(12);
            if (!new String(chunk, StandardCharsets.ISO_8859_1).contains("-------" + candidate)) {
                return candidate;
            }
        }
    }

    /** The connection is gone: every message not yet confirmed fails. */
    public synchronized void closed(String why) {
        outgoingByMessage.values().forEach(o -> o.done.completeExceptionally(new java.io.IOException("MSRP session closed: " + why)));
        outgoingByMessage.clear();
        outgoingByTransaction.clear();
    }

    private void write(byte[] frame) {
        synchronized (out) {
            out.accept(frame);
        }
    }

    // ---- receiving ------------------------------------------------------------------------------------------

    @Override
    public void onFrameHead(MsrpFrameHead frameHead) {
        head = frameHead;
        current = null;
        refusal = 0;
        listener.onFrame(false, frameHead, 0);
        if (!matches(frameHead)) {
            refusal = 481;
            listener.onUnmatched(frameHead.toPath().stream().map(MsrpUri::toString).toList());
            return;
        }
        if (frameHead.startLine() instanceof MsrpStartLine.Request request && request.method().equals("SEND")) {
            Optional<String> messageId = frameHead.messageId();
            if (messageId.isEmpty()) {
                refusal = 400;
                return;
            }
            Incoming message = incoming.computeIfAbsent(messageId.get(), id -> new Incoming(frameHead.contentType().orElse("text/plain")));
            long expectedStart = message.body.size() + 1L;
            long start = frameHead.byteRange().map(ByteRange::start).orElse(1L);
            if (start != expectedStart) {
                refusal = 400;
                return;
            }
            current = message;
        }
    }

    @Override
    public void onBody(ByteBuffer piece) {
        if (current == null || current.refused) {
            return;
        }
        if (current.body.size() + (long) piece.remaining() > maxMessageBytes) {
            current.refused = true;
            refusal = 413; // RFC 4975 7.2: stop sending this message
            return;
        }
        byte[] bytes = new byte[piece.remaining()];
        piece.get(bytes);
        current.body.write(bytes, 0, bytes.length);
    }

    @Override
    public void onFrameEnd(String transactionId, ContinuationFlag flag) {
        MsrpFrameHead frameHead = head;
        head = null;
        if (frameHead == null) {
            return;
        }
        switch (frameHead.startLine()) {
            case MsrpStartLine.Response response -> onResponse(response);
            case MsrpStartLine.Request request -> onRequest(frameHead, request, flag);
        }
    }

    private void onRequest(MsrpFrameHead frameHead, MsrpStartLine.Request request, ContinuationFlag flag) {
        switch (request.method()) {
            case "SEND" -> {
                respond(frameHead, refusal == 0 ? 200 : refusal);
                Optional<String> messageId = frameHead.messageId();
                if (refusal != 0 || messageId.isEmpty()) {
                    messageId.filter(id -> refusal == 413).ifPresent(incoming::remove);
                    return;
                }
                if (flag == ContinuationFlag.ABORT) {
                    incoming.remove(messageId.get());
                } else if (flag == ContinuationFlag.END) {
                    Incoming message = incoming.remove(messageId.get());
                    byte[] body = message.body.toByteArray();
                    if (frameHead.successReportRequested()) {
                        report(messageId.get(), body.length);
                    }
                    listener.onMessage(messageId.get(), message.contentType, body);
                }
            }
            case "REPORT" -> {
                // RFC 4975 7.1.2: REPORTs get no response
                if (refusal != 0) {
                    return;
                }
                int status = frameHead.header("Status").map(MsrpSession::statusCode).orElse(0);
                frameHead.messageId().ifPresent(id -> {
                    listener.onReport(id, status);
                    Outgoing outgoing;
                    synchronized (this) {
                        outgoing = outgoingByMessage.get(id);
                        if (outgoing != null) {
                            outgoing.reportPending = false;
                        }
                    }
                    if (outgoing != null) {
                        finishIfDone(id, outgoing, status == 200 ? null : "REPORT status " + status);
                    }
                });
            }
            default -> respond(frameHead, refusal == 0 ? 501 : refusal);
        }
    }

    private void onResponse(MsrpStartLine.Response response) {
        Outgoing outgoing;
        String messageId = null;
        synchronized (this) {
            outgoing = outgoingByTransaction.remove(response.transactionId());
            if (outgoing == null) {
                return;
            }
            outgoing.unanswered--;
            for (Map.Entry<String, Outgoing> entry : outgoingByMessage.entrySet()) {
                if (entry.getValue() == outgoing) {
                    messageId = entry.getKey();
                }
            }
        }
        finishIfDone(messageId, outgoing, response.statusCode() / 100 == 2 ? null : "response " + response.statusCode()
                + response.comment().map(c -> " " + c).orElse(""));
    }

    private void finishIfDone(String messageId, Outgoing outgoing, String failure) {
        synchronized (this) {
            if (failure == null && (outgoing.unanswered > 0 || outgoing.reportPending)) {
                return;
            }
            if (messageId != null) {
                outgoingByMessage.remove(messageId);
            }
            outgoingByTransaction.values().removeIf(o -> o == outgoing);
        }
        if (failure == null) {
            outgoing.done.complete(null);
        } else {
            outgoing.done.completeExceptionally(new java.io.IOException("message " + messageId + " refused: " + failure));
        }
    }

    /** A transaction response (RFC 4975 7.2), as Failure-Report allows. */
    private void respond(MsrpFrameHead request, int status) {
        if (!request.responseWanted(status)) {
            return;
        }
        MsrpFrameHead response = request.response(status);
        listener.onFrame(true, response, 0);
        write(MsrpEncoder.frame(response, new byte[0], ContinuationFlag.END));
    }

    /** A Success REPORT for a whole message (RFC 4975 7.1.2). */
    private void report(String messageId, long length) {
        MsrpFrameHead report = new MsrpFrameHead(new MsrpStartLine.Request(MsrpIds.next(12), "REPORT"), peerPath, ownPath,
                List.of(new MsrpHeader("Message-ID", messageId), new MsrpHeader("Byte-Range", ByteRange.of(1, length, length).toString()),
                        new MsrpHeader("Status", "000 200 OK")), false);
        listener.onFrame(true, report, 0);
        write(MsrpEncoder.frame(report, new byte[0], ContinuationFlag.END));
    }

    private boolean matches(MsrpFrameHead frameHead) {
        MsrpUri own = ownPath.get(ownPath.size() - 1);
        MsrpUri toPathFirst = frameHead.toPath().get(0);
        return switch (matching) {
            case SESSION_ID -> toPathFirst.sessionId().equals(own.sessionId());
            case URI -> toPathFirst.matches(own);
            // a response's From-Path is the previous hop only (RFC 4975 7.2), so only a request names the peer
            case STRICT -> frameHead.toPath().size() == 1 && toPathFirst.matches(own)
                    && (frameHead.startLine() instanceof MsrpStartLine.Response
                            || frameHead.fromPath().get(frameHead.fromPath().size() - 1).matches(peerPath.get(peerPath.size() - 1)));
        };
    }

    private static int statusCode(String status) {
        // "000 200 OK": namespace, code, comment
        String[] parts = status.trim().split("\\s+");
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
