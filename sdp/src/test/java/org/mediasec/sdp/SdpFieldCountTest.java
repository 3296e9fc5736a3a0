package org.mediasec.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The c= and o= checks count fields in place; their verdicts are those of {@code String.split(" ")} (the reading they
 * replaced, kept here as the oracle), trailing spaces, doubled spaces and CHOOSE included.
 */
class SdpFieldCountTest {

    @Property(tries = 3000)
    void connectionLinesAreJudgedAsSplittingJudgedThem(@ForAll("values") String value) {
        String[] fields = value.split(" ");
        boolean expected = !(fields.length != 3 || fields[2].isEmpty() || fields[2].equals("$") || fields[2].equals("-"));
        assertThat(parses("v=0\no=- 1 1 IN IP4 h\ns=-\nc=" + value + "\nt=0 0\nm=message 9 TCP/MSRP *\n")).as("c=%s", value).isEqualTo(expected);
    }

    @Property(tries = 3000)
    void originLinesAreJudgedAsSplittingJudgedThem(@ForAll("values") String value) {
        boolean expected = value.split(" ").length == 6;
        assertThat(parses("v=0\no=" + value + "\ns=-\nc=IN IP4 h\nt=0 0\nm=message 9 TCP/MSRP *\n")).as("o=%s", value).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("IN4P$-. \t").ofMinLength(0).ofMaxLength(16)
                .injectDuplicates(0.1)
                .edgeCases(edges -> edges.add("IN IP4 $").add("IN IP4 - ").add("IN IP4 1.2.3.4   ").add(" IN IP4").add("IN  IP4").add("   ")
                        .add("- 1 1 IN IP4 h ").add(" - 1 1 IN IP4").add("- 1 1 IN IP4 $\t"));
    }

    private static boolean parses(String sdp) {
        try {
            SdpParser.parse(sdp);
            return true;
        } catch (SdpParseException e) {
            return false;
        }
    }
}
