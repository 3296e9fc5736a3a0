package org.mediasec.bearer;

/**
 * Why a relay pair was released (TLS-10, TCP-8). The gateway maps each to the reason it reports to the MGC and, for
 * failures, to an H.248.8 code.
 */
public enum ReleaseReason {
    /** The peer closed its TCP connection (FIN) and the pair was closed both ways after draining. */
    PEER_CLOSED,
    /** The peer sent TLS close_notify. */
    TLS_CLOSE_NOTIFY,
    /** A TCP reset or another transport error. */
    RESET,
    /** The TLS handshake failed: no fingerprint, fingerprint mismatch, expired certificate, no common version or suite, a fatal alert. */
    TLS_HANDSHAKE_FAILED,
    /** A fatal TLS alert or a TLS error after the handshake (including a refused renegotiation). */
    TLS_ERROR,
    /** The handshake did not finish in time. */
    HANDSHAKE_TIMEOUT,
    /** Nothing flowed either way for the idle timeout. */
    IDLE_TIMEOUT,
    /** More early data than the bound arrived before the relay was armed (TLS-13). */
    EARLY_DATA_OVERFLOW,
    /** An active leg could not connect. */
    CONNECT_FAILED,
    /** The controller released it (H.248 Subtract), or the plane is shutting down. */
    RELEASED,
    /**
     * MSRP-aware relay (GW-6): the leg's peer sent a malformed or oversized MSRP frame (the stream cannot be
     * resynchronised, RFC 4975 has no length field), or flooded requests for another session without reading the 481s.
     */
    MSRP_ERROR,
    /**
     * Side B of a terminated pair (the MRFP's focus) let its peer go: the peer does not read what it is sent, and what
     * waits for it passed the handler's bound (GW-8). The connection is reset, not closed in order: an orderly close
     * would wait for a flush that a peer that does not read never allows ({@link TerminatedStreams}).
     */
    PEER_NOT_READING,
    /** Our own code failed (logged at error level with the cause): the pair goes, the peers are not blamed. */
    INTERNAL_ERROR
}
