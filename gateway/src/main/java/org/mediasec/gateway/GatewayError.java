package org.mediasec.gateway;

import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;

/** A command the gateway refuses, with the H.248.8 error that goes into the reply (H248-6). */
public final class GatewayError extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ErrorDescriptor error;

    public GatewayError(ErrorDescriptor error) {
        super(error.code() + " " + error.text().orElse(""), null, false, false);
        this.error = error;
    }

    public GatewayError(ErrorCode code, String text) {
        this(ErrorDescriptor.of(code, text));
    }

    public ErrorDescriptor error() {
        return error;
    }
}
