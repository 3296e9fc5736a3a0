package org.mediasec.gateway.leg;

import org.mediasec.t38.T38Exception;
import org.mediasec.t38.UdptlCodec;

/**
 * The payload check of a UDP leg that carries UDPTL in clear (GW-7, docs/t38.md): a datagram is forwarded only if it
 * decodes as one UDPTL packet (ITU-T T.38 9.1); it is forwarded as received, never re-encoded. Stateless.
 */
public final class UdptlPayload {

    private UdptlPayload() {}

    public static boolean decodes(byte[] payload) {
        try {
            UdptlCodec.decode(payload);
            return true;
        } catch (T38Exception refused) {
            return false;
        }
    }
}
