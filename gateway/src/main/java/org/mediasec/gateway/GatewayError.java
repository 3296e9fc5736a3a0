package org.mediasec.gateway;

import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;

/** A command the gateway refuses, with the H.248.8 error that goes into the reply. */
final class GatewayError extends Exception {

    private final ErrorDescriptor error;

    GatewayError(ErrorDescriptor error) {
        super(error.code() + " " + error.text().orElse(""), null, false, false);
        this.error = error;
    }

    GatewayError(ErrorCode code, String text) {
        this(ErrorDescriptor.of(code, text));
    }

    ErrorDescriptor error() {
        return error;
    }
}
