package org.mediasec.msrp.conference;

import java.nio.ByteBuffer;

/** Where the conference writes a member's frames: its connection. Called on the conference's thread only. */
public interface MemberSink {

    /** Queues bytes for the member (copy them: the buffer is a view that is reused after the call). */
    void write(ByteBuffer bytes);

    /** Sends what was queued. */
    void flush();

    /** The member's connection has more queued than its bound: it does not keep up, and will be released. */
    boolean overloaded();

    /** Releases the member's connection (a slow member, or one that broke the protocol), with the reason. */
    void release(String reason);
}
