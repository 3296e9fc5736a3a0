package org.mediasec.controller.ng;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
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
}
