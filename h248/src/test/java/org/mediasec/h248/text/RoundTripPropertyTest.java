package org.mediasec.h248.text;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import org.mediasec.h248.message.Message;

/**
 * parse(write(m)) == m for generated messages, in both text styles (H.248.1 Annex B; H248-1). The tags are jqwik's:
 * jqwik does not read JUnit's {@code @Tag}.
 */
class RoundTripPropertyTest {

    @Provide
    Arbitrary<Message> messages() {
        return MessageArbitraries.messages();
    }

    @Property(tries = 400)
    @Tag("H248-1")
    void prettyRoundTrips(@ForAll("messages") Message message) throws Exception {
        String text = H248TextWriter.pretty(message);
        assertThat(H248TextParser.parse(text)).as(text).isEqualTo(message);
    }

    @Property(tries = 400)
    @Tag("H248-1")
    void compactRoundTrips(@ForAll("messages") Message message) throws Exception {
        String text = H248TextWriter.compact(message);
        assertThat(H248TextParser.parse(text)).as(text).isEqualTo(message);
    }
}
