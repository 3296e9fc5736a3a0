package org.mediasec.h248stack.transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler on a manual clock: {@link #advance} runs what falls due, in time order. */
public final class ManualScheduler implements Scheduler {

    private long now;
    private long sequence;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Timer {
        final long due;
        final long order = sequence++;
        final Runnable runnable;
        boolean cancelled;

        Task(long due, Runnable runnable) {
            this.due = due;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Timer schedule(Duration delay, Runnable runnable) {
        Task task = new Task(now + delay.toMillis(), runnable);
        tasks.add(task);
        return task;
    }

    public void advance(Duration duration) {
        long until = now + duration.toMillis();
        while (true) {
            Task next = tasks.stream().filter(t -> !t.cancelled && t.due <= until)
                    .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = next.due;
            next.runnable.run();
        }
        now = until;
    }

    @Override
    public long nanoTime() {
        return now * 1_000_000;
    }

    public long now() {
        return now;
    }

    public long live() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
