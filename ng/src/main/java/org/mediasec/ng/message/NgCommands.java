package org.mediasec.ng.message;

import java.util.Optional;
import java.util.function.Function;

/** The commands {@link NgRequest} types, found by their name compared normalised ({@link NgKeys#normalise}). */
final class NgCommands {

    private NgCommands() {}

    /** The constructor of the typed request for {@code command}, if it is one. */
    static Optional<Function<NgParameters, NgRequest>> typed(String command) {
        Function<NgParameters, NgRequest> constructor = switch (NgKeys.normalise(command)) {
            case "ping" -> NgRequest.Ping::new;
            case "offer" -> NgRequest.Offer::new;
            case "answer" -> NgRequest.Answer::new;
            case "delete" -> NgRequest.Delete::new;
            case "query" -> NgRequest.Query::new;
            case "list" -> NgRequest.ListCalls::new;
            case "statistics" -> NgRequest.Statistics::new;
            default -> null;
        };
        return Optional.ofNullable(constructor);
    }

    static boolean known(String command) {
        return typed(command).isPresent();
    }
}
