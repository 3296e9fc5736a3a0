package org.mediasec.t38;

/**
 * Type-of-msg t30-data (ITU-T T.38 clause 9.1, 2002 module): the modulation whose data the IFP carries. The first
 * nine are the enumeration's root, the rest extension additions.
 */
public enum T30Data {
    V21, V27_2400, V27_4800, V29_7200, V29_9600, V17_7200, V17_9600, V17_12000, V17_14400,
    V8, V34_PRI_RATE, V34_CC_1200, V34_PRI_CH, V33_12000, V33_14400;

    /** Values in the enumeration's root. */
    static final int ROOT = 9;
}
