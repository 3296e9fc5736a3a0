package org.mediasec.bfcp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer: any bytes, in any split, give messages or the typed {@link BfcpException}, never another exception;
 * messages that decode encode back to bytes that decode to the same message, and every refusal whose header was
 * read has an Error that encodes; a floor control server fed the messages answers only with messages that encode.
 */
class BfcpDecoderFuzzTest {

    @FuzzTest
    void decodeAnything(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int split = (input[0] & 0xff) % input.length;
        BfcpStreamDecoder decoder = new BfcpStreamDecoder(2048);
        BfcpStreamDecoderTest.Collect collect = new BfcpStreamDecoderTest.Collect();
        try {
            decoder.decode(input, 1, Math.max(0, split - 1), collect);
            decoder.decode(input, split, input.length - split, collect);
        } catch (BfcpException framingLost) {
            // oversize: the stream is closed
        }
        var server = new org.mediasec.bfcp.server.FloorControlServer(
                org.mediasec.bfcp.server.FloorPolicy.chairless(1, 1, 2).withChair(2, 3));
        for (int user = 0; user < 4; user++) {
            server.addUser(new org.mediasec.bfcp.server.FloorControlServer.User(user, "u" + user, ""));
        }
        for (BfcpMessage message : collect.messages) {
            for (var outbound : server.handle(message.userId() & 3, message)) {
                BfcpEncoder.encode(outbound.message());
            }
            BfcpMessage again = BfcpDecoder.decode(BfcpEncoder.encode(message));
            if (!again.equals(message)) {
                throw new AssertionError("re-encoded message decodes differently: " + message + " / " + again);
            }
        }
        for (BfcpException refused : collect.refused) {
            refused.errorReply().ifPresent(BfcpEncoder::encode);
        }
        try {
            BfcpDecoder.decode(input);
        } catch (BfcpException expected) {
            expected.errorReply().ifPresent(BfcpEncoder::encode);
        }
    }
}
