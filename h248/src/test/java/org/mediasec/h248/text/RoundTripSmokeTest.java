package org.mediasec.h248.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mediasec.h248.message.Message;

class RoundTripSmokeTest {

    static java.util.List<String> examples() {
        return Rfc3525Examples.all();
    }

    @ParameterizedTest
    @MethodSource("examples")
    @Tag("H248-1")
    void rfc3525ExamplesParseAndRoundTripInBothStyles(String text) throws Exception {
        Message message = H248TextParser.parse(text);

        String pretty = H248TextWriter.pretty(message);
        String compact = H248TextWriter.compact(message);

        assertThat(H248TextParser.parse(pretty)).as(pretty).isEqualTo(message);
        assertThat(H248TextParser.parse(compact)).as(compact).isEqualTo(message);
        assertThat(compact.length()).isLessThan(pretty.length());
    }
}
