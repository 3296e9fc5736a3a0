package org.mediasec.h248stack.transport;

/**
 * What an endpoint does with a message from an address that is no configured peer. Either way the message is never
 * processed as commands, and it is counted ({@code refused()}).
 */
public enum UnknownPeers {
    /** Answer with a message-level Error 402 "Unauthorized" (H.248.8); over TCP, then close. The default. */
    ANSWER_402,
    /** Say nothing (no reflection towards spoofed sources); over TCP, close at once. */
    DROP
}
