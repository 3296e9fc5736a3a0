package org.mediasec.h248stack.transport;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs an engine call on the event loop that owns the engine, and hands its result to the calling thread. */
final class OnEventLoop {

    private OnEventLoop() {}

    static <T> CompletableFuture<T> call(EventLoop loop, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                call.get().whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
