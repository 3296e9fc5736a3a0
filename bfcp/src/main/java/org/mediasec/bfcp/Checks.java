package org.mediasec.bfcp;

/** Argument checks for values built in code (decoded values are checked by the decoder with error codes). */
final class Checks {

    private Checks() {}

    static void unsigned16(int value, String what) {
        range(value, 0, 0xffff, what);
    }

    static void range(long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ": " + value);
        }
    }
}
