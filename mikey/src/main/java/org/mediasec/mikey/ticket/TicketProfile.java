package org.mediasec.mikey.ticket;

import org.mediasec.mikey.CommonHeader;
import org.mediasec.mikey.MacAlgorithm;
import org.mediasec.mikey.crypto.MikeyPrf;
import org.mediasec.traceability.Implements;

/**
 * The choices mediasec makes for MIKEY-TICKET (RFC 6043) as TS 33.328 profiles it for TLS-PSK: one place for every
 * algorithm, length and value, so that a value found wrong against the RFC text is changed once.
 */
@Implements("E2E-6")
public final class TicketProfile {

    private TicketProfile() {}

    /** RFC 6043's PRF-HMAC-SHA-256 in every message (HDR PRF value 1, UNVERIFIED). */
    public static final int PRF = CommonHeader.PRF_HMAC_SHA_256;
    public static final MikeyPrf PRF_FUNCTION = MikeyPrf.P_SHA_256;
    /** Every message is protected with HMAC-SHA-256-256 (RFC 6043 6.2). */
    public static final int MAC = MacAlgorithm.HMAC_SHA_256_256;
    /** TGKs and MPKs are 128 bits; the TEK (the TLS PSK) too: TS 33.328 H.2 keys TLS-PSK with the 128-bit TEK. */
    public static final int KEY_BYTES = 16;
    /** AES-KW-128 wants a 128-bit key-encryption key. */
    public static final int ENCRYPTION_KEY_BYTES = 16;
    public static final int AUTHENTICATION_KEY_BYTES = 32;
    public static final int RAND_BYTES = 16;
    /**
     * TS 33.328's "Prot Type TLS" for the GENERIC-ID crypto session map: the seed lists it as TBD; mediasec uses 2
     * (UNVERIFIED) and sends and expects only this value.
     */
    public static final int PROTOCOL_TYPE_TLS = 2;
    /**
     * Ticket type of mediasec's KMS tickets. The ticket data is opaque to all but the KMS that made it (RFC 6043
     * 6.11), so its format is the KMS's: a value outside RFC 6043's and 3GPP's assignments says so.
     */
    public static final int TICKET_TYPE = 0xff01;
    public static final int TICKET_SUBTYPE = 0;
    public static final int TICKET_VERSION = 1;
    /** The key validity SPI bytes that tell the two MPKs apart in a KEMAC. */
    public static final byte[] MPK_INITIATOR = {1};
    public static final byte[] MPK_RESPONDER = {2};
    /** How far a message's timestamp may be from our clock (RFC 3830 5.4: the allowable clock skew). */
    public static final java.time.Duration DEFAULT_CLOCK_SKEW = java.time.Duration.ofMinutes(2);
}
