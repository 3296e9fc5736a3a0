package org.mediasec.t38;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer: any datagram decodes to a packet or the typed {@link T38Exception} (with an offset inside the input), never
 * another exception; a packet that decodes encodes back to a datagram that decodes to the same packet; every IFP in
 * it (primary and secondaries) likewise, as the bearer validates them.
 */
class UdptlDecoderFuzzTest {

    @FuzzTest
    void decodeAnything(byte[] input) throws Exception {
        UdptlPacket packet;
        try {
            packet = UdptlCodec.decode(input);
        } catch (T38Exception refused) {
            check(refused, input.length);
            return;
        }
        UdptlPacket again = UdptlCodec.decode(UdptlCodec.encode(packet));
        if (!again.equals(packet)) {
            throw new AssertionError("re-encoded packet decodes differently: " + packet + " / " + again);
        }
        java.util.List<Octets> ifps = new java.util.ArrayList<>();
        ifps.add(packet.primary());
        if (packet.errorRecovery() instanceof UdptlPacket.Redundancy redundancy) {
            ifps.addAll(redundancy.secondaries());
        }
        for (Octets ifp : ifps) {
            try {
                IfpPacket decoded = IfpCodec.decode(ifp);
                if (!IfpCodec.decode(IfpCodec.encode(decoded)).equals(decoded)) {
                    throw new AssertionError("re-encoded IFP decodes differently: " + decoded);
                }
            } catch (T38Exception refused) {
                check(refused, ifp.length());
            }
        }
    }

    private static void check(T38Exception refused, int length) {
        if (refused.offset() < 0 || refused.offset() > length) {
            throw new AssertionError("offset " + refused.offset() + " outside an input of " + length + " octets", refused);
        }
    }
}
