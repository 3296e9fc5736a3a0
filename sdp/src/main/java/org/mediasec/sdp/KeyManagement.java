package org.mediasec.sdp;

import java.util.Base64;
import java.util.Optional;
import org.mediasec.traceability.Implements;

/**
 * {@code a=key-mgmt:<prtcl-id> <base64 data>} (RFC 4567 3.1), e.g. {@code mikey} with a MIKEY message: at media
 * level it keys the m-line it stands in (E2E-6).
 */
@Implements("E2E-6")
public record KeyManagement(String protocolId, byte[] data) {

    public KeyManagement {
        data = data.clone();
        if (protocolId.isEmpty() || protocolId.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("bad key management protocol id: " + protocolId);
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static Optional<KeyManagement> parse(String attributeValue, String[] reason) {
        String text = attributeValue.strip();
        int space = text.indexOf(' ');
        if (space <= 0) {
            reason[0] = "expected '<prtcl-id> <base64 data>'";
            return Optional.empty();
        }
        try {
            return Optional.of(new KeyManagement(text.substring(0, space), Base64.getDecoder().decode(text.substring(space + 1).strip())));
        } catch (IllegalArgumentException e) {
            reason[0] = "key data is not base64: " + e.getMessage();
            return Optional.empty();
        }
    }

    public String attributeValue() {
        return protocolId + " " + Base64.getEncoder().encodeToString(data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyManagement that && protocolId.equals(that.protocolId) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return protocolId.hashCode() * 31 + java.util.Arrays.hashCode(data);
    }
}
