package org.mediasec.controller.ng;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;

/**
 * A command handler for tests: records each request it is handed, and answers as its function says: a reply
 * now, or, from {@link #holding()}, a stage the test completes itself.
 */
final class RecordingHandler implements NgCommandHandler {

    record Call(NgRequest request, InetSocketAddress source, CompletableFuture<NgReply> reply) {}

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final Function<NgRequest, NgReply> answer;
    private final boolean hold;

    private RecordingHandler(Function<NgRequest, NgReply> answer, boolean hold) {
        this.answer = answer;
        this.hold = hold;
    }

    /** Answers ping with pong, offer and answer with their SDP reversed, list with no calls, others ok. */
    static RecordingHandler answering() {
        return answering(RecordingHandler::typical);
    }

    static RecordingHandler answering(Function<NgRequest, NgReply> answer) {
        return new RecordingHandler(answer, false);
    }

    /** Answers nothing until the test completes the call's stage. */
    static RecordingHandler holding() {
        return new RecordingHandler(request -> null, true);
    }

    static NgReply typical(NgRequest request) {
        return switch (request) {
            case NgRequest.Ping ping -> new NgReply.Pong();
            case NgRequest.Offer offer -> NgReply.sdp(offer.sdp().replace("192.0.2.10", "198.51.100.1"));
            case NgRequest.Answer answer -> NgReply.sdp(answer.sdp().replace("192.0.2.20", "198.51.100.1"));
            case NgRequest.ListCalls list -> NgReply.calls(List.of());
            case NgRequest.Unknown unknown -> NgReply.error(NgReply.UNRECOGNIZED_COMMAND);
            default -> NgReply.ok();
        };
    }

    @Override
    public CompletionStage<NgReply> handle(NgRequest request, InetSocketAddress source) {
        CompletableFuture<NgReply> reply = hold ? new CompletableFuture<>() : CompletableFuture.completedFuture(answer.apply(request));
        calls.add(new Call(request, source, reply));
        return reply;
    }

    /** The next call within {@code timeout}; fails when none comes. */
    Call next(Duration timeout) throws InterruptedException {
        Call call = calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (call == null) {
            throw new AssertionError("the handler was not called within " + timeout);
        }
        return call;
    }

    Call next() throws InterruptedException {
        return next(NgUdpClient.REPLY_TIMEOUT);
    }

    /** Whether a call comes within {@code window} (to show that none does). */
    boolean calledWithin(Duration window) throws InterruptedException {
        return calls.poll(window.toMillis(), TimeUnit.MILLISECONDS) != null;
    }
}
