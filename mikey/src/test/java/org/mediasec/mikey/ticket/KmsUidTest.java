package org.mediasec.mikey.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** E2E-7: KMS UIDs from SIP From/To header values. */
class KmsUidTest {

    @Test
    @Tag("E2E-7")
    void theUidNamesTheUserWhateverTheHeaderDecoration() {
        KmsUid expected = new KmsUid("sip:alice@ims.example.org");
        assertThat(KmsUid.fromSipUri("\"Alice\" <sip:alice@IMS.Example.org;transport=tcp>;tag=1928301774")).isEqualTo(expected);
        assertThat(KmsUid.fromSipUri("<sips:alice@ims.example.org?subject=x>")).isEqualTo(expected);
        assertThat(KmsUid.fromSipUri("SIP:alice@ims.example.org")).isEqualTo(expected);
        assertThat(KmsUid.fromSipUri("sip:alice;ext=1@ims.example.org:5061")).isEqualTo(new KmsUid("sip:alice@ims.example.org:5061"));
        // the user part is case-sensitive (RFC 3261 19.1.4)
        assertThat(KmsUid.fromSipUri("sip:Alice@ims.example.org")).isNotEqualTo(expected);
        assertThat(KmsUid.fromSipUri("tel:+1-201-555-0123;phone-context=example.com")).isEqualTo(new KmsUid("tel:+12015550123"));
        assertThat(KmsUid.fromSipUri("sip:conference.example.org")).isEqualTo(new KmsUid("sip:conference.example.org"));
    }

    @Test
    void whatIsNotASipOrTelUriIsRefused() {
        assertThatThrownBy(() -> KmsUid.fromSipUri("mailto:alice@example.org")).hasMessageContaining("not a SIP or tel URI");
        assertThatThrownBy(() -> KmsUid.fromSipUri("<sip:alice@example.org")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> KmsUid.fromSipUri("sip:alice@")).hasMessageContaining("without a host");
        assertThatThrownBy(() -> KmsUid.fromSipUri("alice")).hasMessageContaining("not a SIP or tel URI");
        assertThatThrownBy(() -> new KmsUid("")).isInstanceOf(IllegalArgumentException.class);
    }
}
