package org.mediasec.ng.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediasec.ng.BencodeEncoder;
import org.mediasec.ng.JsonForm;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgInteger;

class NgRepliesTest {

    private static String bencode(NgReply reply) {
        return new String(BencodeEncoder.encode(NgReplies.write(reply)), StandardCharsets.UTF_8);
    }

    @Test
    void repliesAreWrittenWithRtpenginesFieldNames() {
        assertThat(bencode(new NgReply.Pong())).isEqualTo("d6:result4:ponge");
        assertThat(bencode(NgReply.error("Unknown call-id"))).isEqualTo("d12:error-reason15:Unknown call-id6:result5:errore");
        assertThat(bencode(NgReply.sdp("v=0\r\n"))).isEqualTo("d6:result2:ok3:sdp5:v=0\r\ne");
        assertThat(bencode(NgReply.ok().withWarning("Call-ID not found or tags didn't match")))
                .isEqualTo("d6:result2:ok7:warning38:Call-ID not found or tags didn't matche");
        assertThat(bencode(new NgReply.LoadLimit(Optional.of("Parallel session limit reached"))))
                .isEqualTo("d7:message30:Parallel session limit reached6:result10:load limite");
        assertThat(bencode(NgReply.calls(List.of("abc")))).isEqualTo("d5:callsl3:abce6:result2:oke");
        assertThat(new String(JsonForm.encode(NgReplies.write(new NgReply.Pong())), StandardCharsets.UTF_8)).isEqualTo("{\"result\":\"pong\"}");
    }

    @Test
    void loadLimitGoesOnlyToAProxyThatSupportsIt() {
        NgRequest kamailio = new NgRequest.Ping(NgParameters.builder().supports(List.of("load limit")).build());
        NgRequest other = new NgRequest.Ping(NgParameters.NONE);
        NgReply limit = new NgReply.LoadLimit(Optional.empty());
        assertThat(NgReplies.forRequest(kamailio, limit)).isEqualTo(limit);
        assertThat(NgReplies.forRequest(other, limit)).isEqualTo(NgReply.error(NgReplies.SESSION_LIMIT_REACHED));
        assertThat(NgReplies.forRequest(other, new NgReply.LoadLimit(Optional.of("CPU usage limit exceeded"))))
                .isEqualTo(NgReply.error("CPU usage limit exceeded"));
        assertThat(NgReplies.forRequest(other, NgReply.ok())).isEqualTo(NgReply.ok());
    }

    @Test
    void readsRepliesAndRefusesOnesWithoutAResult() throws Exception {
        assertThat(NgReplies.read(NgDictionary.builder().put("result", "ok").put("created", 1402064111).build()))
                .isEqualTo(NgReply.ok().with("created", new NgInteger(1402064111)));
        assertThatThrownBy(() -> NgReplies.read(NgDictionary.EMPTY)).isInstanceOf(NgMessageException.class);
        assertThatThrownBy(() -> NgReplies.read(NgDictionary.builder().put("result", "error").build())).isInstanceOf(NgMessageException.class);
        assertThatThrownBy(() -> NgReplies.read(NgDictionary.builder().put("result", "maybe").build())).isInstanceOf(NgMessageException.class);
        assertThatThrownBy(() -> NgReplies.read(NgDictionary.builder().put("result", 1).build())).isInstanceOf(NgMessageException.class);
    }

    @Test
    void okFieldsCannotShadowTheTypedKeys() {
        assertThatThrownBy(() -> NgReply.ok().with("result", new NgInteger(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NgReply.ok().with("sdp", new NgInteger(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
