package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mediasec.t38.UdptlCodec;

/**
 * The fax kind's framing (no sockets): a chunk of the check pattern as one UDPTL datagram and back, the seq-number
 * held to the next expected one, the datagram bound, and the mix's names for the kind.
 */
class SoakFaxTest {

    @Test
    void aChunkTravelsAsTheImageDataOfOneUdptlPacketAndComesBackWhole() throws Exception {
        StreamCheck sender = new StreamCheck(7);
        StreamCheck receiver = new StreamCheck(7);
        for (int sequence = 65_534; sequence < 65_538; sequence++) { // across the seq-number's wrap
            byte[] datagram = SoakFax.udptl(sequence, sender.next(256));
            assertThat(UdptlCodec.decode(datagram).sequenceNumber()).isEqualTo(sequence & 0xffff);
            byte[] image = SoakFax.imageData(datagram, sequence);
            receiver.arrived(image, image.length);
        }
        assertThat(receiver.corrupted()).isZero();
        assertThat(receiver.received()).isEqualTo(sender.sent()).isEqualTo(4 * 256);
    }

    @Test
    void aDatagramOutOfSequenceIsALossNotData() {
        byte[] second = SoakFax.udptl(1, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SoakFax.imageData(second, 0)).isInstanceOf(IOException.class).hasMessageContaining("seq-number 1 where 0");
    }

    @Test
    void whatIsNotUdptlIsRefused() {
        assertThatThrownBy(() -> SoakFax.imageData(new byte[] {0, 0}, 0)).isInstanceOf(IOException.class).hasMessageContaining("UDPTL");
    }

    @Test
    void theDefaultChunkFitsT38FaxMaxDatagramAndAChunkThatDoesNotIsRefusedAtTheStart() {
        assertThat(SoakFax.udptl(0, new byte[256]).length).isLessThanOrEqualTo(SoakFax.MAX_DATAGRAM);
        SoakFax.checkChunk(380);
        assertThatThrownBy(() -> SoakFax.checkChunk(SoakFax.MAX_DATAGRAM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("T38FaxMaxDatagram 400");
    }

    @Test
    void theMixNamesTheFaxUdptlOrFaxAndHasItByDefault() {
        assertThat(SoakStream.mix("tcp, fax,udptl")).containsExactly(SoakStream.TCP, SoakStream.UDPTL, SoakStream.UDPTL);
        assertThat(SoakOptions.parse().mix()).containsExactly(SoakStream.TCP, SoakStream.BFCP, SoakStream.E2AE, SoakStream.TLS, SoakStream.UDPTL);
        assertThat(SoakStream.UDPTL.datagram()).isTrue();
        assertThat(List.of(SoakStream.TCP, SoakStream.BFCP, SoakStream.E2AE, SoakStream.TLS)).noneMatch(SoakStream::datagram);
    }
}
