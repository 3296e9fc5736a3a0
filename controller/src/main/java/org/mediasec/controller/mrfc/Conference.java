package org.mediasec.controller.mrfc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.h248.message.ContextId;

/**
 * A conference the MRFC serves: its identity, and its MRFP and context once it has participants. Its H.248 work
 * runs one piece at a time ({@link #serialized}): the first Add creates the context the next one uses. Touched only
 * on the procedures' thread.
 */
final class Conference {

    final MrfcProcedures.ConferenceIdentity identity;
    ControlledGateway gateway;
    ContextId context;
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    Conference(MrfcProcedures.ConferenceIdentity identity) {
        this.identity = identity;
    }

    /** Runs {@code work} once the conference's previous work is done, whatever its outcome. */
    CompletableFuture<Void> serialized(Supplier<CompletableFuture<Void>> work) {
        CompletableFuture<Void> next = last.handle((done, error) -> null).thenCompose(done -> work.get());
        last = next;
        return next;
    }
}
