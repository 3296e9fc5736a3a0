package org.mediasec.kms;

/** The user store could not do what was asked: the database failed, or the request conflicts with what is stored. */
public final class KmsStoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public KmsStoreException(String message) {
        super(message);
    }

    public KmsStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
