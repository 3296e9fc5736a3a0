package org.mediasec.bearer;

/** The two legs of a relay pair (e.g. A towards the UE, B towards the core). */
public enum Side {
    A, B;

    public Side other() {
        return this == A ? B : A;
    }
}
