package org.mediasec.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The checks of a scenario as it runs: a failed check is recorded, not thrown, so the ladder is complete. */
final class Checks {

    private final List<ScenarioResult.Check> checks = new ArrayList<>();

    boolean check(boolean passed, String what) {
        checks.add(new ScenarioResult.Check(passed, what));
        return passed;
    }

    /** Runs {@code step}; an exception fails the check with its message. */
    <T> T attempt(String what, Callable<T> step) {
        try {
            T value = step.call();
            check(true, what);
            return value;
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            check(false, what + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return null;
        }
    }

    List<ScenarioResult.Check> all() {
        return List.copyOf(checks);
    }
}
