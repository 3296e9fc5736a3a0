package org.mediasec.h248.packages;

import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;

/** Why a package item or value is refused: the H.248.8 code and a text that names the item and, for values, the value. */
public record ItemRejection(ErrorCode code, String reason) {

    public ErrorDescriptor toErrorDescriptor() {
        return ErrorDescriptor.of(code, reason);
    }
}
