package org.mediasec.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer: any text gives descriptions or {@link SdpParseException}, in both modes; what parses writes back to text
 * that parses to the same value, and the typed getters never fail on parsed input.
 */
class SdpParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parseAnything(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            SessionDescription strict = SdpParser.parse(text);
            check(List.of(strict));
            if (!SdpParser.parse(strict.write()).equals(strict)) {
                throw new AssertionError("strict round trip changed: " + strict.write());
            }
        } catch (SdpParseException expected) {
            // fine
        }
        try {
            List<SessionDescription> lenient = SdpParser.parseH248(text);
            check(lenient);
            StringBuilder again = new StringBuilder();
            lenient.forEach(description -> again.append(description.write("\n")));
            if (!SdpParser.parseH248(again.toString()).equals(lenient)) {
                throw new AssertionError("H.248 round trip changed: " + again);
            }
        } catch (SdpParseException expected) {
            // fine
        }
    }

    private static void check(List<SessionDescription> descriptions) {
        for (SessionDescription description : descriptions) {
            description.setup();
            description.fingerprints();
            for (MediaDescription media : description.media()) {
                media.setup();
                media.connection();
                media.fingerprints();
                media.keyManagement();
                media.path();
                media.maxSize();
                media.bfcpVersions();
                media.transport().isTls();
                media.mediaLine().portNumber();
            }
        }
    }
}
