package org.mediasec.controller.ng;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;

/**
 * What the ng endpoint hands each new request to (not retransmissions: those are answered from the cache). The
 * call procedures implement it; the endpoint owns everything about the wire: cookies, retransmissions, forms,
 * limits, sizes.
 *
 * <p>Thread rule: {@link #handle} is called on the endpoint's event loop and must not block; the stage may complete
 * on any thread. A stage that fails, or completes with null, is our bug: the endpoint logs it at error level and
 * answers {@code "Internal error"}. A {@link NgReply.LoadLimit} goes only to a proxy that supports it (others get
 * rtpengine's error instead); a stage still open after the endpoint's handler timeout is answered with an error.
 */
@FunctionalInterface
public interface NgCommandHandler {

    /**
     * @param request the typed request ({@link NgRequest.Unknown} for commands mediasec does not type: answer
     *     {@link NgReply#UNRECOGNIZED_COMMAND} unless it is served)
     * @param source the proxy's address (UDP source, or TCP peer)
     */
    CompletionStage<NgReply> handle(NgRequest request, InetSocketAddress source);

    /**
     * Called instead of {@link #handle} while the endpoint is overloaded ({@link NgOverload}): what would start new
     * work, an offer for a call not held, is answered {@link #OVERLOADED} at once; the rest (answers, deletes,
     * re-offers of calls in progress, which free or keep what is held) is carried out as usual. This default knows no
     * calls and refuses every offer; a handler that holds calls refuses only the new ones.
     */
    default CompletionStage<NgReply> handleOverloaded(NgRequest request, InetSocketAddress source) {
        return request instanceof NgRequest.Offer ? CompletableFuture.completedFuture(OVERLOADED) : handle(request, source);
    }

    /** The reply to a new call refused under overload: rtpengine's {@code load limit} for its load average. */
    NgReply.LoadLimit OVERLOADED = new NgReply.LoadLimit(Optional.of(NgReplies.LOAD_LIMIT_EXCEEDED));
}
