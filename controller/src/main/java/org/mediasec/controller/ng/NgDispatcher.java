package org.mediasec.controller.ng;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgParseException;
import org.mediasec.ng.RetransmissionCache;
import org.mediasec.ng.message.NgInbound;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ng endpoint's core, the same for UDP and TCP: a message in, its reply out (rtpengine ng protocol).
 * <ul>
 *   <li>A source that is not allowed ({@link NgEndpointConfig#allowedSources()}): dropped unanswered.</li>
 *   <li>No usable cookie: dropped, counted, logged at most once per interval (rtpengine drops and logs these).</li>
 *   <li>A cookie seen from this source: a retransmission (NG-1), answered with the cached bytes, or, while the
 *       first is still being handled, left to the first one's reply; the handler never sees it.</li>
 *   <li>A document that does not read, or no valid request: rtpengine's error reply, cached like any reply.</li>
 *   <li>A request: admitted within the in-flight bounds (per source, and overall), else answered
 *       {@code load limit} (or the error, to a proxy that does not support it) and not cached, so that its
 *       retransmission gets another chance; handed to the {@link NgCommandHandler}, or, while the endpoint is
 *       overloaded ({@link NgOverload}: requests in flight above the soft bound, a standing handling delay, or the request
 *       itself waited twice the target delay before it was read), to
 *       its {@link NgCommandHandler#handleOverloaded}, which refuses new calls and carries out the rest: the
 *       endpoint degrades by refusing new work before it must refuse everything. A {@code load limit} from the
 *       handler is cached like any reply (its retransmission gets the same refusal). Answered with its reply, in
 *       the request's form, behind the request's cookie, or with an error when the handler fails (our bug, logged
 *       at error level) or times out.</li>
 *   <li>Every reply fits {@link NgEndpointConfig#maxReplyBytes()} (a datagram): a larger one is replaced by an error
 *       reply.</li>
 * </ul>
 * Thread rule: every method runs on the endpoint's one event loop, which the UDP channel, the TCP channels and the
 * handler completions all use; the counters are atomics only so that other threads can read them.
 */
@Implements("NG-1")
final class NgDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(NgDispatcher.class);

    static final String INTERNAL_ERROR = "Internal error";
    static final String TIMED_OUT = "Timed out";
    static final String OVERLOADED = "Too many requests in flight";
    static final String REPLY_TOO_LARGE = "Reply too large";

    /** Where the reply to one message goes: a datagram to its source, or its TCP connection. */
    interface ReplyPath {
        void send(byte[] message);
    }

    /** A request being handled: finished once, by the handler's reply or by the timeout. */
    private static final class Handling {
        final NgInbound.Accepted accepted;
        final InetSocketAddress source;
        final ReplyPath path;
        final long admittedAt;
        /** The {@link NgOverload.Cause} bits that held at admission: 0 when the request was handled as usual. */
        final int overloadCauses;
        ScheduledFuture<?> timeout;
        boolean finished;

        Handling(NgInbound.Accepted accepted, InetSocketAddress source, ReplyPath path, long admittedAt, int overloadCauses) {
            this.accepted = accepted;
            this.source = source;
            this.path = path;
            this.admittedAt = admittedAt;
            this.overloadCauses = overloadCauses;
        }
    }

    private final NgEndpointConfig config;
    private final NgCommandHandler handler;
    private final EventLoop loop;
    private final RetransmissionCache<InetSocketAddress> cache;
    private final Map<InetSocketAddress, Integer> inFlightBySource = new HashMap<>();
    private final RateLimitedLog strangerLog;
    private final RateLimitedLog dropLog;
    private final RateLimitedLog refusalLog;
    private final RateLimitedLog overloadLog;
    private final RateLimitedLog shedLog;
    private final NgOverload overload;
    private int inFlight;
    /** Whether the last request admitted found the endpoint overloaded (to log the change, not every request). */
    private boolean wasOverloaded;

    private final AtomicLong unknownSources = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong retransmissions = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong overloaded = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong oversizeReplies = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong handlerTimeouts = new AtomicLong();
    private final AtomicLong perSourceBound = new AtomicLong();
    private final AtomicLong overallBound = new AtomicLong();
    private final AtomicLong softBound = new AtomicLong();
    private final AtomicLong handlingDelay = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong callBound = new AtomicLong();

    NgDispatcher(NgEndpointConfig config, NgCommandHandler handler, EventLoop loop) {
        this.config = config;
        this.handler = handler;
        this.loop = loop;
        this.cache = new RetransmissionCache<>(config.cacheEntries(), config.cacheBytes(), config.cacheAge(), System::nanoTime);
        this.strangerLog = new RateLimitedLog(LOG, config.dropLogInterval(), System::nanoTime);
        this.dropLog = new RateLimitedLog(LOG, config.dropLogInterval(), System::nanoTime);
        this.refusalLog = new RateLimitedLog(LOG, config.dropLogInterval(), System::nanoTime);
        this.overloadLog = new RateLimitedLog(LOG, config.dropLogInterval(), System::nanoTime);
        this.shedLog = new RateLimitedLog(LOG, config.dropLogInterval(), System::nanoTime);
        this.overload = new NgOverload(config);
    }

    NgCounters counters() {
        return new NgCounters(unknownSources.get(), received.get(), retransmissions.get(), dropped.get(), refused.get(), overloaded.get(), shed.get(), oversizeReplies.get(),
                handlerFailures.get(), handlerTimeouts.get(),
                new NgRefusals(perSourceBound.get(), overallBound.get(), softBound.get(), handlingDelay.get(), waited.get(), callBound.get()));
    }

    /** Whether {@code source} may use the port; one that may not is counted and logged (rate-limited). */
    boolean admits(InetSocketAddress source) {
        if (config.allows(source)) {
            return true;
        }
        unknownSources.incrementAndGet();
        strangerLog.warn("ng message or connection from " + source + " dropped: not an allowed source");
        return false;
    }

    /** One message (a datagram, or a message cut from a TCP stream) from {@code source}, received just now. */
    void receive(byte[] message, InetSocketAddress source, ReplyPath path) {
        receive(message, source, path, System.nanoTime());
    }

    /**
     * One message from {@code source}, read from its socket at {@code receivedAt} ({@link System#nanoTime()}): how
     * long it has waited since counts in the overload rule (for new calls).
     */
    void receive(byte[] message, InetSocketAddress source, ReplyPath path, long receivedAt) {
        if (!admits(source)) {
            return;
        }
        received.incrementAndGet();
        NgFraming.Framed framed;
        try {
            framed = NgFraming.split(message);
        } catch (NgParseException noCookie) {
            drop(source, noCookie);
            return;
        }
        switch (cache.begin(source, framed.cookie())) {
            case RetransmissionCache.Answered answered -> {
                retransmissions.incrementAndGet();
                path.send(answered.reply());
            }
            case RetransmissionCache.Pending pending -> retransmissions.incrementAndGet();
            case RetransmissionCache.Fresh fresh -> {
                switch (NgInbound.read(framed, config.limits())) {
                    case NgInbound.Refused refusal -> {
                        refused.incrementAndGet();
                        refusalLog.warn("ng message " + refusal.cookie() + " from " + source + " refused: " + refusal.reply().reason());
                        finish(source, refusal.cookie(), refusal.format(), refusal.reply(), path);
                    }
                    case NgInbound.Accepted accepted -> admit(accepted, source, path, receivedAt);
                }
            }
        }
    }

    /**
     * A TCP stream that cannot be cut into messages (the connection is closed after this): answered with the error
     * when its cookie was read, else dropped. Not cached: the connection is gone.
     */
    void unframeable(Optional<NgCookie> cookie, NgParseException cause, InetSocketAddress source, ReplyPath path) {
        received.incrementAndGet();
        if (cookie.isEmpty()) {
            drop(source, cause);
            return;
        }
        refused.incrementAndGet();
        NgReply.Error reply = new NgReply.Error(NgInbound.errorReason(NgFormat.BENCODE, cause));
        refusalLog.warn("ng stream from " + source + " refused: " + reply.reason());
        path.send(encode(cookie.get(), NgFormat.BENCODE, reply));
    }

    /** A datagram beyond the endpoint's receive queue: dropped unanswered, as the kernel drops one beyond its buffer. */
    void queueFull(InetSocketAddress source) {
        if (!admits(source)) {
            return;
        }
        received.incrementAndGet();
        dropped.incrementAndGet();
        dropLog.warn("ng message from " + source + " dropped: the receive queue is full");
    }

    private void drop(InetSocketAddress source, NgParseException cause) {
        dropped.incrementAndGet();
        dropLog.warn("ng message from " + source + " dropped: " + cause.getMessage());
    }

    private void admit(NgInbound.Accepted accepted, InetSocketAddress source, ReplyPath path, long receivedAt) {
        NgRequest request = accepted.request();
        boolean sourceFull = inFlightBySource.getOrDefault(source, 0) >= config.maxInFlightPerSource();
        if (sourceFull || inFlight >= config.maxInFlight()) {
            overloaded.incrementAndGet();
            (sourceFull ? perSourceBound : overallBound).incrementAndGet();
            overloadLog.warn("ng " + request.command() + " from " + source + " refused: " + OVERLOADED);
            cache.abandon(source, accepted.cookie());
            NgReply reply = NgReplies.forRequest(request, new NgReply.LoadLimit(Optional.of(OVERLOADED)));
            path.send(encode(accepted.cookie(), accepted.format(), reply));
            return;
        }
        long waitedNanos = System.nanoTime() - receivedAt;
        int causes = overload.causes(inFlight, waitedNanos);
        boolean overloadedNow = causes != 0;
        if (overloadedNow && !wasOverloaded) {
            shedLog.warn("ng endpoint overloaded (" + inFlight + " requests in flight, soft bound " + config.softInFlight()
                    + (NgOverload.Cause.STANDING_DELAY.in(causes) ? "; handling delay above " + config.overloadDelay().toMillis() +  " ms for " + NgOverload.interval(config.overloadDelay()).toMillis() + " ms" : "")
                    + (NgOverload.Cause.WAITED.in(causes) ? "; a request waited " + waitedNanos / 1_000_000 + " ms to be read" : "")
                    + "): new calls refused with load limit");
        }
        wasOverloaded = overloadedNow;
        inFlightBySource.merge(source, 1, Integer::sum);
        inFlight++;
        // the handling time counts from the admission, as before: counted from the receipt, a transient queue in front
        // of the loop made the delay stand at 2,000 calls/s (run 1, 16:48 UTC); the wait itself is judged above
        Handling handling = new Handling(accepted, source, path, System.nanoTime(), causes);
        handling.timeout = loop.schedule(() -> timedOut(handling), config.handlerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        CompletionStage<NgReply> stage;
        try {
            stage = overloadedNow ? handler.handleOverloaded(request, source) : handler.handle(request, source);
            if (stage == null) {
                throw new NullPointerException("the handler returned no stage");
            }
        } catch (RuntimeException bug) {
            stage = CompletableFuture.failedFuture(bug);
        }
        stage.whenComplete((reply, failure) -> onLoop(() -> handled(handling, reply, failure)));
    }

    private void handled(Handling handling, NgReply reply, Throwable failure) {
        if (!end(handling)) {
            return;
        }
        NgRequest request = handling.accepted.request();
        NgReply answer;
        if (failure != null || reply == null) {
            handlerFailures.incrementAndGet();
            LOG.error("ng handler failed on {} {} from {}", request.command(), handling.accepted.cookie(), handling.source,
                    failure == null ? new NullPointerException("the handler's stage completed with no reply") : failure);
            answer = new NgReply.Error(INTERNAL_ERROR);
        } else if (reply instanceof NgReply.LoadLimit) {
            // cached like any reply: a retransmission that crossed the refusal (a request that waited in the receive
            // buffer past the proxy's timer) gets the same refusal, and is not admitted as a call the proxy gave up
            shed.incrementAndGet();
            countShed(handling.overloadCauses);
            answer = NgReplies.forRequest(request, reply);
        } else {
            if (request instanceof NgRequest.Offer || request instanceof NgRequest.Answer) {
                overload.handled(System.nanoTime() - handling.admittedAt);
            }
            answer = NgReplies.forRequest(request, reply);
        }
        finish(handling.source, handling.accepted.cookie(), handling.accepted.format(), answer, handling.path);
    }

    /** A new call refused: under each check that held at its admission, or the call bound when none did. */
    private void countShed(int causes) {
        if (causes == 0) {
            callBound.incrementAndGet();
            return;
        }
        if (NgOverload.Cause.SOFT_BOUND.in(causes)) {
            softBound.incrementAndGet();
        }
        if (NgOverload.Cause.STANDING_DELAY.in(causes)) {
            handlingDelay.incrementAndGet();
        }
        if (NgOverload.Cause.WAITED.in(causes)) {
            waited.incrementAndGet();
        }
    }

    private void timedOut(Handling handling) {
        if (!end(handling)) {
            return;
        }
        handlerTimeouts.incrementAndGet();
        LOG.warn("ng {} {} from {} not handled within {}: answered with an error", handling.accepted.request().command(),
                handling.accepted.cookie(), handling.source, config.handlerTimeout());
        finish(handling.source, handling.accepted.cookie(), handling.accepted.format(), new NgReply.Error(TIMED_OUT), handling.path);
    }

    /** Marks the handling finished and releases its in-flight place; false when it had finished already. */
    private boolean end(Handling handling) {
        if (handling.finished) {
            return false;
        }
        handling.finished = true;
        handling.timeout.cancel(false);
        inFlight--;
        inFlightBySource.computeIfPresent(handling.source, (source, count) -> count == 1 ? null : count - 1);
        return true;
    }

    /** Encodes, bounds, caches and sends a reply. */
    private void finish(InetSocketAddress source, NgCookie cookie, NgFormat format, NgReply reply, ReplyPath path) {
        byte[] bytes = encode(cookie, format, reply);
        if (bytes.length > config.maxReplyBytes()) {
            oversizeReplies.incrementAndGet();
            LOG.warn("ng reply {} to {} is {} bytes, over {}: answered with an error instead", cookie, source, bytes.length, config.maxReplyBytes());
            bytes = encode(cookie, format, new NgReply.Error(REPLY_TOO_LARGE + " (" + bytes.length + " bytes)"));
        }
        cache.complete(source, cookie, bytes);
        path.send(bytes);
    }

    /** The reply's message; a reply the form cannot carry (bytes that are no UTF-8, in JSON) is our bug. */
    private static byte[] encode(NgCookie cookie, NgFormat format, NgReply reply) {
        try {
            return NgInbound.reply(cookie, format, reply);
        } catch (IllegalArgumentException bug) {
            LOG.error("ng reply {} cannot be written as {}", cookie, format, bug);
            return NgInbound.reply(cookie, format, new NgReply.Error(INTERNAL_ERROR));
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closed) {
            // the endpoint has closed: nobody is left to answer
        }
    }
}
