package org.mediasec.t38;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mediasec.t38.UdptlPacket.Redundancy;

class FaxSessionGeneratorTest {

    @Test
    void aSessionHasTheT30PhasesInOrder() {
        var session = FaxSessionGenerator.session(2, "+4930", "+4940");
        assertThat(session.calling().get(0)).isEqualTo(IfpPacket.indicator(T30Indicator.CNG));
        assertThat(session.called().get(0)).isEqualTo(IfpPacket.indicator(T30Indicator.CED));
        long trainings = session.calling().stream().filter(ifp -> ifp.equals(IfpPacket.indicator(T30Indicator.V29_9600_TRAINING))).count();
        assertThat(trainings).as("TCF and two pages").isEqualTo(3);
        long imageOctets = session.calling().stream().mapToLong(IfpPacket::fieldDataOctets).sum();
        assertThat(imageOctets).isGreaterThan(2L * FaxSessionGenerator.blankPage().length);
    }

    @Test
    void aBlankPageIsOneEolAndOneWhiteRunPerLine() {
        // 1145 lines × 29 bits + RTC 72 bits
        assertThat(FaxSessionGenerator.blankPage()).hasSize((1145 * 29 + 72 + 7) / 8);
    }

    @Test
    void everyDatagramDecodesAndCarriesThePreviousPrimariesAsRedundancy() throws Exception {
        var session = FaxSessionGenerator.session(1, "+4930", "+4940");
        List<Octets> sent = new ArrayList<>();
        int sequenceNumber = 65_534;
        for (byte[] datagram : new RedundancyEncoder(3, 65_534).datagrams(session.calling())) {
            UdptlPacket packet = UdptlCodec.decode(datagram);
            assertThat(packet.sequenceNumber()).isEqualTo(sequenceNumber);
            sequenceNumber = (sequenceNumber + 1) & 0xffff;
            IfpCodec.decode(packet.primary());
            List<Octets> expected = new ArrayList<>(sent.subList(Math.max(0, sent.size() - 3), sent.size()));
            java.util.Collections.reverse(expected);
            assertThat(((Redundancy) packet.errorRecovery()).secondaries()).isEqualTo(expected);
            sent.add(packet.primary());
        }
        assertThat(sent).hasSize(session.calling().size());
    }
}
