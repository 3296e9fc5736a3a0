package org.mediasec.ng;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer: any bytes decode to a value or to the typed {@link NgParseException} (with an offset inside the input),
 * never anything else; a value that decodes encodes to bytes that decode to the same value. Read as a stream
 * prefix too (the TCP framing), the same holds, and what is consumed is never more than the input.
 */
class BencodeDecoderFuzzTest {

    private static final NgLimits SMALL = new NgLimits(4096, 8, 256);

    @FuzzTest
    void decodeAnything(byte[] input) throws Exception {
        for (NgLimits limits : new NgLimits[] {NgLimits.DEFAULT, SMALL}) {
            try {
                NgValue value = BencodeDecoder.decode(input, limits);
                NgValue again = BencodeDecoder.decode(BencodeEncoder.encode(value), limits);
                if (!again.equals(value)) {
                    throw new AssertionError("re-encoded differently: " + value);
                }
            } catch (NgParseException expected) {
                if (expected.offset() < 0 || expected.offset() > input.length) {
                    throw new AssertionError("offset " + expected.offset() + " outside the input", expected);
                }
            }
            try {
                BencodeDecoder.Decoded decoded = BencodeDecoder.decodePrefix(input, 0, input.length, limits);
                if (decoded.end() > input.length || decoded.end() <= 0) {
                    throw new AssertionError("consumed " + decoded.end() + " of " + input.length);
                }
            } catch (NgParseException expected) {
                // typed refusal
            }
        }
    }
}
