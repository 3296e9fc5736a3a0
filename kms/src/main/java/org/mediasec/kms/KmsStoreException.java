package org.mediasec.kms;

import java.sql.SQLException;
import org.h2.api.ErrorCode;

/** The user store could not do what was asked: the database failed, or the request conflicts with what is stored. */
public final class KmsStoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public KmsStoreException(String message) {
        super(message);
    }

    public KmsStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the store could not be opened because another process holds it: the embedded database has no server
     * mode (SEC-4), so a KMS that is starting holds it before its admin socket answers, and a command retries.
     */
    public boolean heldByAnotherProcess() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return true;
            }
        }
        return false;
    }
}
