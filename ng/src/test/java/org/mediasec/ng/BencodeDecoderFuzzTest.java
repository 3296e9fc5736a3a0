package org.mediasec.ng;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer: any bytes decode to a value or to the typed {@link NgParseException} (with an offset inside the input),
 * never anything else; a value that decodes encodes to bytes that decode to the same value. Read as a stream
 * prefix too (the TCP framing), the same holds, and what is consumed is never more than the input; the stream
 * scanner, given the input in two pieces, ends the value where the decoder does and waits where the decoder finds
 * the input truncated.
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
            int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
            int scanned = scanInTwo(input, split, limits);
            try {
                BencodeDecoder.Decoded decoded = BencodeDecoder.decodePrefix(input, 0, input.length, limits);
                if (decoded.end() > input.length || decoded.end() <= 0) {
                    throw new AssertionError("consumed " + decoded.end() + " of " + input.length);
                }
                if (scanned != decoded.end()) {
                    throw new AssertionError("the scanner ends at " + scanned + ", the decoder at " + decoded.end());
                }
            } catch (NgParseException refused) {
                if (refused.error().truncation() && scanned >= 0) {
                    throw new AssertionError("the decoder waits for more, the scanner ends at " + scanned, refused);
                }
            }
        }
    }

    /** The scanner's end for the input given in two pieces, -1 for "needs more", -2 for an error. */
    private static int scanInTwo(byte[] input, int split, NgLimits limits) {
        BencodeScanner scanner = new BencodeScanner(limits);
        try {
            int end = scanner.scan(input, 0, split);
            return end >= 0 ? end : scanner.scan(input, split, input.length);
        } catch (NgParseException refused) {
            return -2;
        }
    }
}
