package org.mediasec.t38;

/**
 * Type-of-msg t30-indicator (ITU-T T.38 clause 9.1, IFPPacket ASN.1, 2002 module): the signal a gateway detected on
 * the line. The first sixteen are the root of the enumeration; the rest are extension additions (after {@code ...}).
 */
public enum T30Indicator {
    NO_SIGNAL, CNG, CED, V21_PREAMBLE, V27_2400_TRAINING, V27_4800_TRAINING, V29_7200_TRAINING, V29_9600_TRAINING,
    V17_7200_SHORT_TRAINING, V17_7200_LONG_TRAINING, V17_9600_SHORT_TRAINING, V17_9600_LONG_TRAINING,
    V17_12000_SHORT_TRAINING, V17_12000_LONG_TRAINING, V17_14400_SHORT_TRAINING, V17_14400_LONG_TRAINING,
    V8_ANSAM, V8_SIGNAL, V34_CNTL_CHANNEL_1200, V34_PRI_CHANNEL, V34_CC_RETRAIN, V33_12000_TRAINING, V33_14400_TRAINING;

    /** Values in the enumeration's root (before the extension marker). */
    static final int ROOT = 16;
}
