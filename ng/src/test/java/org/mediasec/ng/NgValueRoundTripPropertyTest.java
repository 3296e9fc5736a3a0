package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Values round-trip through both forms; any input gives a value or the typed error, and a value re-encodes to it. */
class NgValueRoundTripPropertyTest {

    @Property(tries = 1000)
    void bencodeRoundTrips(@ForAll("anyBytes") NgValue value) throws Exception {
        byte[] encoded = BencodeEncoder.encode(value);
        NgValue decoded = BencodeDecoder.decode(encoded, NgLimits.DEFAULT);
        assertThat(decoded).isEqualTo(value);
        assertThat(BencodeEncoder.encode(decoded)).isEqualTo(encoded);
    }

    @Property(tries = 1000)
    void jsonRoundTrips(@ForAll("utf8") NgValue value) throws Exception {
        byte[] encoded = JsonForm.encode(value);
        assertThat(JsonForm.decode(encoded, 0, encoded.length, NgLimits.DEFAULT)).isEqualTo(value);
    }

    @Property(tries = 2000)
    void anyBytesDecodeToAValueOrTheTypedError(@ForAll("bencodeLike") byte[] input) {
        try {
            NgValue value = BencodeDecoder.decode(input, NgLimits.DEFAULT);
            // accepted input is canonical up to key order: re-encoding reads back the same value
            assertThat(BencodeDecoder.decode(BencodeEncoder.encode(value), NgLimits.DEFAULT)).isEqualTo(value);
        } catch (NgParseException expected) {
            assertThat(expected.offset()).isBetween(0, input.length);
        }
    }

    @Property(tries = 500)
    void everyProperPrefixOfAnEncodingIsTruncated(@ForAll("anyBytes") NgValue value, @ForAll("fractions") double where) {
        byte[] encoded = BencodeEncoder.encode(value);
        int cut = (int) (where * encoded.length);
        byte[] prefix = Arrays.copyOf(encoded, cut);
        try {
            BencodeDecoder.decode(prefix, NgLimits.DEFAULT);
            throw new AssertionError("a prefix of " + cut + " of " + encoded.length + " bytes decoded");
        } catch (NgParseException expected) {
            assertThat(expected.error().truncation()).isTrue();
        }
    }

    @Provide
    Arbitrary<NgValue> anyBytes() {
        return NgValues.values(4, false);
    }

    @Provide
    Arbitrary<NgValue> utf8() {
        return NgValues.values(4, true);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }

    /** Valid encodings with a byte changed, and random bytes over bencode's alphabet. */
    @Provide
    Arbitrary<byte[]> bencodeLike() {
        Arbitrary<byte[]> mutated = Combinators.combine(anyBytes(), Arbitraries.integers().between(0, 1000),
                Arbitraries.of((byte) 'i', (byte) 'e', (byte) 'l', (byte) 'd', (byte) ':', (byte) '0', (byte) '9', (byte) '-', (byte) 0))
                .as((value, position, replacement) -> {
                    byte[] bytes = BencodeEncoder.encode(value);
                    bytes[position % bytes.length] = replacement;
                    return bytes;
                });
        Arbitrary<byte[]> alphabet = Arbitraries.of((byte) 'i', (byte) 'e', (byte) 'l', (byte) 'd', (byte) ':', (byte) '0', (byte) '1',
                (byte) '2', (byte) '-', (byte) 'a').array(byte[].class).ofMaxSize(40);
        return Arbitraries.oneOf(mutated, alphabet, Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
    }
}
