package org.mediasec.kms.admin;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer: any bytes on the admin socket parse to a request that writes back to the same request, or to the typed
 * {@link AdminProtocolException}; the same for replies, which the command reads.
 */
class AdminCodecFuzzTest {

    @FuzzTest
    void parseAnything(byte[] input) {
        try {
            AdminRequest request = AdminCodec.parseRequest(input);
            if (!AdminCodec.parseRequest(AdminCodec.request(request)).equals(request)) {
                throw new AssertionError("re-written differently: " + request);
            }
        } catch (AdminProtocolException expected) {
            // typed refusal
        }
        try {
            AdminReply reply = AdminCodec.parseReply(input);
            if (!AdminCodec.parseReply(AdminCodec.reply(reply)).equals(reply)) {
                throw new AssertionError("re-written differently: " + reply);
            }
        } catch (AdminProtocolException expected) {
            // typed refusal
        }
    }
}
