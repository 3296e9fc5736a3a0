package org.mediasec.it.bench.callrate;

import java.util.Optional;

/**
 * The {@link NgWire} on the project's ng codec (module {@code ng}: bencode and cookie framing). Until that module is
 * merged into this branch there is none, and the benchmark runs mediasec alone, saying why.
 */
final class NgCodecWire {

    static final String MISSING = "the ng codec (module ng) is not merged into this branch yet";

    private NgCodecWire() {}

    static Optional<NgWire> available() {
        return Optional.empty();
    }
}
