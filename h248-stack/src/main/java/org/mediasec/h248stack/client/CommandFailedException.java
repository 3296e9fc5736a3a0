package org.mediasec.h248stack.client;

import org.mediasec.h248.message.ErrorDescriptor;

/** The peer answered a command with an Error descriptor (H.248.8 code and text), at transaction, action or command level. */
public final class CommandFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ErrorDescriptor error;

    public CommandFailedException(ErrorDescriptor error) {
        super("error " + error.code() + error.text().map(text -> " (" + text + ")").orElse(""));
        this.error = error;
    }

    public ErrorDescriptor error() {
        return error;
    }
}
