package org.mediasec.h248.message;

import java.util.Optional;
import org.mediasec.h248.ErrorCode;

/** Annex B: {@code errorDescriptor = ErrorToken EQUAL ErrorCode LBRKT [quotedString] RBRKT}; the code has 1 to 4 digits. */
public record ErrorDescriptor(int code, Optional<String> text) implements Descriptor {

    public ErrorDescriptor {
        if (code < 0 || code > 9999) {
            throw new IllegalArgumentException("error code " + code);
        }
    }

    /** The code with its H.248.8 reason text, or the given text. */
    public static ErrorDescriptor of(ErrorCode code, String text) {
        return new ErrorDescriptor(code.code(), Optional.of(text));
    }

    public static ErrorDescriptor of(ErrorCode code) {
        return new ErrorDescriptor(code.code(), Optional.of(code.reason()));
    }

    public Optional<ErrorCode> errorCode() {
        return ErrorCode.of(code);
    }
}
