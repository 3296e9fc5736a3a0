package org.mediasec.h248.message;

/** Range checks shared by the records (Annex B: UINT16 = 0..65535, UINT32 = 0..4294967295). */
final class Values {

    static final long UINT32_MAX = 0xFFFF_FFFFL;

    private Values() {}

    static void uint32(long value, String what) {
        if (value < 0 || value > UINT32_MAX) {
            throw new IllegalArgumentException(what + " out of UINT32 range: " + value);
        }
    }

    static void uint16(long value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " out of UINT16 range: " + value);
        }
    }
}
