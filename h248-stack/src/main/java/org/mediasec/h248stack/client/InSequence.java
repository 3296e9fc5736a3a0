package org.mediasec.h248stack.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Asynchronous steps one after the other: each starts once the one before completed, as H.248.1 asks of the
 * actions of a transaction and of the commands an MGC sends for one call. The results come in order; the first
 * failure fails the whole and no later step starts.
 */
public final class InSequence {

    private InSequence() {}

    public static <T, R> CompletableFuture<List<R>> map(List<T> items, Function<? super T, ? extends CompletionStage<R>> step) {
        CompletableFuture<List<R>> chain = CompletableFuture.completedFuture(new ArrayList<>(items.size()));
        for (T item : items) {
            chain = chain.thenCompose(done -> step.apply(item).thenApply(result -> {
                done.add(result);
                return done;
            }));
        }
        return chain;
    }

    /** As {@link #map} for steps without a result. */
    public static <T> CompletableFuture<Void> run(List<T> items, Function<? super T, ? extends CompletionStage<?>> step) {
        return InSequence.<T, Object>map(items, item -> step.apply(item).thenApply(result -> (Object) result)).thenApply(results -> null);
    }
}
