package org.mediasec.ng.message;

/**
 * A well-formed ng document that is not a valid message: a missing or mistyped key, a bad value. The reason is the
 * text for the {@code error-reason} of the error reply, worded as rtpengine words it where rtpengine has the same
 * error ({@code "No call-id in message"}), so that Kamailio logs the same lines.
 */
public final class NgMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public NgMessageException(String reason) {
        super(reason);
    }

    public String reason() {
        return getMessage();
    }
}
