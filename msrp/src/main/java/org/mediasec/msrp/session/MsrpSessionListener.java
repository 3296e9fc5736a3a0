package org.mediasec.msrp.session;

import java.util.List;
import org.mediasec.msrp.MsrpFrameHead;

/** What an {@link MsrpSession} tells its user. Called on the thread that feeds the session. */
public interface MsrpSessionListener {

    /** A complete message arrived (all its chunks), with its Message-ID and Content-Type. */
    void onMessage(String messageId, String contentType, byte[] body);

    /** A REPORT arrived for one of our messages (RFC 4975 7.1.2): its Status code, e.g. 200. */
    default void onReport(String messageId, int statusCode) {}

    /** A frame was sent or received (for traces). */
    default void onFrame(boolean sent, MsrpFrameHead head, long bodyBytes) {}

    /** The peer broke the protocol (or addressed another session); the session answered it where it could. */
    default void onProtocolError(String problem) {}

    /** For tests: frames that were not answered because the session matched nothing. */
    default void onUnmatched(List<String> toPath) {}
}
