package org.mediasec.controller.alg;

import org.mediasec.traceability.Implements;

/**
 * What a re-offer does to one m-line (RFC 3264 8; CTRL-7), decided with the offer and carried out with the answer:
 * a stream that stays keeps its context, terminations, connection and TLS session; a changed one is replaced by a
 * new context; an added one gets a context; a removed one (port 0, or no longer anchored) is subtracted.
 */
@Implements("CTRL-7")
sealed interface StreamChange {

    record Keep(AnchoredStream stream) implements StreamChange {}

    record Add(AnchoredStream fresh) implements StreamChange {}

    record Replace(AnchoredStream old, AnchoredStream fresh) implements StreamChange {}

    record Remove(AnchoredStream stream) implements StreamChange {}
}
