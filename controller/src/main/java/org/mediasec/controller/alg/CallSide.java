package org.mediasec.controller.alg;

/** The two parties of a call: the one that sent the first offer (the caller) and the one that answered it. */
public enum CallSide {
    CALLER, CALLEE;

    public CallSide other() {
        return this == CALLER ? CALLEE : CALLER;
    }
}
