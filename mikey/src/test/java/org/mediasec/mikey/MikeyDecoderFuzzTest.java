package org.mediasec.mikey;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer: any bytes decode to a message or to the typed {@link MikeyException}, never anything else; a message that
 * decodes encodes to bytes that decode to the same message (not always the same bytes: reserved fields, such as
 * ERR's, are ignored on receipt and written as zero, RFC 3830 6.12). The same for KEMAC key data.
 */
class MikeyDecoderFuzzTest {

    @FuzzTest
    void decodeAnything(byte[] input) throws Exception {
        try {
            MikeyDecoder.Decoded decoded = MikeyDecoder.decode(input);
            MikeyMessage again = MikeyDecoder.decode(MikeyEncoder.encode(decoded.message()).bytes()).message();
            if (!again.equals(decoded.message())) {
                throw new AssertionError("re-encoded differently: " + decoded.message());
            }
        } catch (MikeyException expected) {
            // typed refusal
        }
        try {
            MikeyDecoder.keyData(input);
        } catch (MikeyException expected) {
            // typed refusal
        }
    }
}
