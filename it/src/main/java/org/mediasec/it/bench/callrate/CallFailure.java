package org.mediasec.it.bench.callrate;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a call failed, as a kind that the step's error table counts ("H.248 error 510", "ng no reply", "bearer: short
 * read"), with the detail for the log. Anything else reaching the load generator is a bug of the benchmark itself.
 */
final class CallFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CallFailure.class);

    private final String kind;

    CallFailure(String kind, String detail, Throwable cause) {
        super(kind + ": " + detail, cause, false, false);
        this.kind = kind;
    }

    CallFailure(String kind, String detail) {
        this(kind, detail, null);
    }

    String kind() {
        return kind;
    }

    /** The kind of a failed call's exception (unwrapped); an exception that is no CallFailure is our bug, logged at error level. */
    static String kindOf(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CallFailure call) {
            return call.kind();
        }
        LOG.error("call-rate benchmark bug: unexpected {}", cause.toString(), cause);
        return "benchmark bug: " + cause.getClass().getSimpleName();
    }

    /** What went wrong in detail (the peer's error text, the exception's message), for the first call of each kind. */
    static String detailOf(Throwable failure) {
        Throwable cause = unwrap(failure);
        return String.valueOf(cause.getMessage());
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
