package org.mediasec.t38;

/**
 * Data-Field field-type (ITU-T T.38 clause 9.1, 2002 module): what a field of a t30-data IFP carries. HDLC fields
 * carry T.30 control frames (V.21), T.4 non-ECM fields the image data and TCF. The first eight are the root.
 */
public enum FieldType {
    HDLC_DATA, HDLC_SIG_END, HDLC_FCS_OK, HDLC_FCS_BAD, HDLC_FCS_OK_SIG_END, HDLC_FCS_BAD_SIG_END, T4_NON_ECM_DATA, T4_NON_ECM_SIG_END,
    CM_MESSAGE, JM_MESSAGE, CI_MESSAGE, V34RATE;

    /** Values in the enumeration's root. */
    static final int ROOT = 8;
}
