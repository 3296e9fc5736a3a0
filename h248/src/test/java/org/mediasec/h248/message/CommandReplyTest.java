package org.mediasec.h248.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mediasec.h248.text.H248TextParser;

/** Reading the MG's answered Local SDP out of an Add reply, as an MGC does for its SDP answer. */
class CommandReplyTest {

    private static CommandReply.AmmsReply firstReply(String text) throws Exception {
        Transaction.TransactionReply reply = (Transaction.TransactionReply) H248TextParser.parse(text).transactions().get(0);
        return (CommandReply.AmmsReply) reply.actions().get(0).replies().get(0);
    }

    @Test
    void theLocalSdpOfAStreamOrOfTheSingleStreamForm() throws Exception {
        CommandReply.AmmsReply streams = firstReply("""
                MEGACO/3 [127.0.0.1]:2945
                Reply = 1 { Context = 7 { Add = ip/1 { Media { Stream = 1 { Local {
                v=0
                m=message 30000 TCP/MSRP *
                } }, Stream = 2 { Local {
                v=0
                m=application 30001 TCP/BFCP *
                } } } } } }
                """);
        assertThat(streams.localSdp(1)).hasValueSatisfying(sdp -> assertThat(sdp).contains("30000 TCP/MSRP"));
        assertThat(streams.localSdp(2)).hasValueSatisfying(sdp -> assertThat(sdp).contains("30001 TCP/BFCP"));
        assertThat(streams.localSdp(3)).isEmpty();
        CommandReply.AmmsReply single = firstReply("""
                MEGACO/3 [127.0.0.1]:2945
                Reply = 1 { Context = 7 { Add = ip/1 { Media { Local {
                v=0
                m=message 30002 TCP/TLS/MSRP *
                } } } } }
                """);
        assertThat(single.localSdp(1)).hasValueSatisfying(sdp -> assertThat(sdp).contains("30002 TCP/TLS/MSRP"));
        assertThat(single.localSdp(2)).isEmpty();
        assertThat(firstReply("MEGACO/3 [127.0.0.1]:2945\nReply = 1 { Context = 7 { Subtract = ip/1 } }").localSdp(1)).isEmpty();
    }
}
