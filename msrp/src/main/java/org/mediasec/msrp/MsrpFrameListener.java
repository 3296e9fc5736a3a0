package org.mediasec.msrp;

import java.nio.ByteBuffer;

/**
 * Receives what {@link MsrpDecoder} finds, in order: a head, zero or more body pieces, an end. Body pieces are
 * views of the decoder's input (or of a constant): read or copy them during the call, do not keep them.
 */
public interface MsrpFrameListener {

    void onFrameHead(MsrpFrameHead head);

    void onBody(ByteBuffer piece);

    void onFrameEnd(String transactionId, ContinuationFlag flag);
}
