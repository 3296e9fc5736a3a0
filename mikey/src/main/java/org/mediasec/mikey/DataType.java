package org.mediasec.mikey;

/**
 * The HDR data type: which message this is (RFC 3830 6.1; RFC 4650, RFC 4738, RFC 6043 6.1). Values 0–10 and
 * their names are checked against tshark 4.0's dissector. The MIKEY-TICKET values 11–18 could not be read from
 * RFC 6043 here (tshark 4.0 does not know them): UNVERIFIED, spelled only in this class.
 */
public final class DataType {

    private DataType() {}

    public static final int PSK_INIT = 0;
    public static final int PSK_VERIFICATION = 1;
    public static final int PUBLIC_KEY_INIT = 2;
    public static final int PUBLIC_KEY_VERIFICATION = 3;
    public static final int DH_INIT = 4;
    public static final int DH_RESPONSE = 5;
    public static final int ERROR = 6;
    public static final int DHHMAC_INIT = 7;
    public static final int DHHMAC_RESPONSE = 8;
    public static final int RSA_R_INIT = 9;
    public static final int RSA_R_RESPONSE = 10;
    // RFC 6043 6.1, UNVERIFIED values
    public static final int REQUEST_INIT_PSK = 11;
    public static final int REQUEST_INIT_PK = 12;
    public static final int REQUEST_RESP = 13;
    public static final int TRANSFER_INIT = 14;
    public static final int TRANSFER_RESP = 15;
    public static final int RESOLVE_INIT_PSK = 16;
    public static final int RESOLVE_INIT_PK = 17;
    public static final int RESOLVE_RESP = 18;

    /** The data types this codec accepts; others get {@link MikeyErrorCode#INVALID_DATA_TYPE}. */
    public static boolean known(int dataType) {
        return dataType >= PSK_INIT && dataType <= RESOLVE_RESP;
    }
}
