package org.mediasec.bearer.datagram;

/** Why a datagram was not forwarded; each is counted per leg ({@link DatagramPair#dropped}). */
public enum DropReason {
    /** It came from an address other than the leg's remote (the SDP address). */
    WRONG_SOURCE,
    /** Its payload is larger than the leg's bound (T38FaxMaxDatagram), or the DTLS record would exceed the path bound. */
    OVERSIZE,
    /** It came before the pair could forward it: a leg's DTLS handshake is not done, or the remote is not yet known. */
    NOT_READY,
    /** A DTLS record already received (RFC 6347 4.1.2.6: the replay window). */
    REPLAY,
    /** Not a DTLS record that authenticates: discarded silently, as RFC 6347 4.1.2.7 asks. */
    INVALID_RECORD,
    /** The payload check the leg was given refused it (for example not a UDPTL packet). */
    INVALID_PAYLOAD,
    /** The direction is held (H.248.1 7.1.7 mode: the leg does not take datagrams in, or the other does not send). */
    HELD
}
