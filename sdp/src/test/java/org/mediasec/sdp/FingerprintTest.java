package org.mediasec.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code a=fingerprint} values (RFC 8122 5): read in place, with the same verdicts as splitting at each colon. */
class FingerprintTest {

    private static final String SHA_256 = "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:0F:4B:6A:0A:2E:3A:5B:6F:7C:8D:9E";

    @Test
    void readsTheHashFunctionInAnyCaseAndTheOctetsInEither() {
        String[] reason = new String[1];
        Optional<Fingerprint> parsed = Fingerprint.parse("  SHA-256   " + SHA_256.toLowerCase(Locale.ROOT) + " ", reason);
        assertThat(parsed).hasValueSatisfying(fingerprint -> {
            assertThat(fingerprint.hashFunction()).isEqualTo("sha-256");
            assertThat(fingerprint.value()).isEqualTo(HexFormat.ofDelimiter(":").parseHex(SHA_256));
            assertThat(fingerprint.attributeValue()).isEqualTo("sha-256 " + SHA_256);
        });
        assertThat(reason[0]).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sha-256                                  | expected '<hash-func> <hex>'",
            "' sha-256'                               | expected '<hash-func> <hex>'",
            "crc32 AB                                 | unknown hash function crc32",
            "SHA-3 AB                                 | unknown hash function sha-3",
            "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB: | fingerprint octet 21 is not two hex digits",
            "sha-1 :4A                                | fingerprint octet 1 is not two hex digits",
            "sha-1 4A::AD                             | fingerprint octet 2 is not two hex digits",
            "sha-1 4AD:AD                             | fingerprint octet 1 is not two hex digits",
            "sha-1 4A:A                               | fingerprint octet 2 is not two hex digits",
            "sha-1 4A:AG                              | fingerprint octet 2 is not two hex digits",
            "sha-1 4A AD                              | fingerprint octet 1 is not two hex digits",
            "sha-256 AB:CD                            | sha-256 fingerprint needs 32 octets, has 2",
    })
    void refusesWithTheReason(String value, String expected) {
        String[] reason = new String[1];
        assertThat(Fingerprint.parse(value, reason)).isEmpty();
        assertThat(reason[0]).isEqualTo(expected);
    }

    /** The verdict of the reading this one replaced (split at every colon, parse each piece), as the oracle. */
    @Property(tries = 3000)
    void agreesWithSplittingAtEachColon(@ForAll("values") String value) {
        String[] reason = new String[1];
        String[] expectedReason = new String[1];
        Optional<Fingerprint> parsed = Fingerprint.parse(value, reason);
        Optional<Fingerprint> expected = bySplitting(value, expectedReason);
        assertThat(parsed).isEqualTo(expected);
        assertThat(reason[0]).isEqualTo(expectedReason[0]);
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> function = Arbitraries.of("sha-1", "SHA-256", "sha-256", "Sha-512", "md5", "sha-3", "ſha-1", "", "x");
        Arbitrary<String> octet = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(2),
                Arbitraries.strings().withChars("0123456789aG \u0663:").ofMinLength(0).ofMaxLength(3));
        Arbitrary<Integer> count = Arbitraries.of(1, 2, 16, 19, 20, 21, 32, 64);
        Arbitrary<String> hex = count.flatMap(n -> octet.list().ofSize(n).map(list -> String.join(":", list)));
        return Combinators.combine(Arbitraries.of("", " ", "  "), function, Arbitraries.of(" ", "  ", "\t"), hex, Arbitraries.of("", " "))
                .as((lead, name, gap, octets, trail) -> lead + name + gap + octets + trail);
    }

    private static final Map<String, Integer> LENGTHS = Map.of(
            "md2", 16, "md5", 16, "sha-1", 20, "sha-224", 28, "sha-256", 32, "sha-384", 48, "sha-512", 64);

    private static Optional<Fingerprint> bySplitting(String attributeValue, String[] reason) {
        String text = attributeValue.strip();
        int space = text.indexOf(' ');
        if (space <= 0) {
            reason[0] = "expected '<hash-func> <hex>'";
            return Optional.empty();
        }
        String function = text.substring(0, space).toLowerCase(Locale.ROOT);
        if (!LENGTHS.containsKey(function)) {
            reason[0] = "unknown hash function " + function;
            return Optional.empty();
        }
        String[] octets = text.substring(space + 1).strip().split(":", -1);
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            if (octets[i].length() != 2 || Character.digit(octets[i].charAt(0), 16) < 0 || Character.digit(octets[i].charAt(1), 16) < 0) {
                reason[0] = "fingerprint octet " + (i + 1) + " is not two hex digits";
                return Optional.empty();
            }
            bytes[i] = (byte) Integer.parseInt(octets[i], 16);
        }
        if (bytes.length != LENGTHS.get(function)) {
            reason[0] = function + " fingerprint needs " + LENGTHS.get(function) + " octets, has " + bytes.length;
            return Optional.empty();
        }
        return Optional.of(new Fingerprint(function, bytes));
    }
}
