package org.mediasec.controller.ngcall;

/** A request the adapter refuses before the call procedures see it: answered {@code result: error} with this reason. */
final class NgRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    NgRefusal(String reason) {
        super(reason, null, false, false);
    }
}
