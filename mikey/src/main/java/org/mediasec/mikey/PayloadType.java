package org.mediasec.mikey;

/**
 * Next-payload values (RFC 3830 6.1; RFC 6043 6.1). 0–12, 14 (IDR), 20 and 21 are checked against tshark 4.0's
 * dissector; 13 (TR), 15–17 (RANDR, TP, TICKET) are RFC 6043's and UNVERIFIED (the RFC text was not readable
 * here; the values follow the IANA registry as recalled, TR..TICKET in RFC 6043's order).
 */
public final class PayloadType {

    private PayloadType() {}

    public static final int LAST = 0;
    public static final int KEMAC = 1;
    public static final int PKE = 2;
    public static final int DH = 3;
    public static final int SIGN = 4;
    public static final int TIMESTAMP = 5;
    public static final int ID = 6;
    public static final int CERT = 7;
    public static final int CHASH = 8;
    public static final int VERIFICATION = 9;
    public static final int SECURITY_POLICY = 10;
    public static final int RAND = 11;
    public static final int ERROR = 12;
    public static final int TIMESTAMP_WITH_ROLE = 13; // UNVERIFIED
    public static final int ID_WITH_ROLE = 14;
    public static final int RAND_WITH_ROLE = 15;  // UNVERIFIED
    public static final int TICKET_POLICY = 16;   // UNVERIFIED
    public static final int TICKET = 17;          // UNVERIFIED
    public static final int KEY_DATA = 20;
    public static final int GENERAL_EXTENSION = 21;
}
