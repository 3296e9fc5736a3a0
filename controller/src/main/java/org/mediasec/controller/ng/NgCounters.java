package org.mediasec.controller.ng;

/**
 * What an ng endpoint has seen since it started (a snapshot).
 *
 * @param unknownSources messages and TCP connections from addresses that are not allowed (dropped, closed)
 * @param received messages received (datagrams, and messages cut from TCP streams) from allowed sources
 * @param retransmissions messages whose cookie was known: answered from the cache, or left to the pending first
 * @param dropped messages without a usable cookie, or beyond the UDP receive queue's bound (not answered)
 * @param refused messages with a cookie that did not read or were no valid request (answered with an error)
 * @param overloaded requests beyond the in-flight bounds (answered load limit or error)
 * @param shed requests answered {@code load limit} by the handler (new calls refused under overload, or beyond the
 *     call bound)
 * @param oversizeReplies replies too large to send, replaced by an error
 * @param handlerFailures handler stages that failed or completed with null (our bugs)
 * @param handlerTimeouts handler stages still open at the handler timeout
 * @param refusals the {@code overloaded} and {@code shed} requests by the bound or check that refused them
 */
public record NgCounters(long unknownSources, long received, long retransmissions, long dropped, long refused, long overloaded, long shed, long oversizeReplies,
        long handlerFailures, long handlerTimeouts, NgRefusals refusals) {}
