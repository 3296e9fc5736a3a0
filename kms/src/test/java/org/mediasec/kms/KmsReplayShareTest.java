package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.TicketInitiator;

/**
 * One user who sends as fast as it can fills its own share of the KMS's replay cache and is refused beyond it, while
 * the others are still served (SEC-4), over real HTTPS. With one bound for everybody (the share as large as the whole
 * cache, as before), the same flood locks Alice out.
 */
@Timeout(120)
class KmsReplayShareTest {

    private static final int CAPACITY = 12;
    private static final int SHARE = 4;
    private static final int FLAGS = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS;

    @TempDir
    Path data;
    private KmsFixture kms;
    private KmsServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        kms.close();
    }

    private KmsClient start(int capacity, int share) throws Exception {
        kms = new KmsFixture(data);
        kms.close();
        kms.open(KmsService.Settings.defaults(KmsFixture.KMS).withReplayLimits(capacity, share));
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("kms", Duration.ofDays(1));
        server = KmsServer.start(new InetSocketAddress("127.0.0.1", 0), certificate, kms.service);
        return new KmsClient(URI.create("https://127.0.0.1:" + server.address().getPort() + "/"), CertificateFingerprint.of("sha-256",
                certificate.certificate()), Duration.ofSeconds(10));
    }

    private static TicketInitiator.IssuedTicket ticket(KmsClient client, TicketInitiator who) throws Exception {
        return client.requestTicket(who, who.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS));
    }

    @Test
    @Tag("SEC-4")
    void aUserFloodingTheKmsFillsOnlyItsOwnShare() throws Exception {
        KmsClient client = start(CAPACITY, SHARE);
        TicketInitiator mallory = new TicketInitiator(KmsFixture.MALLORY, KmsFixture.MALLORY_KEY, KmsFixture.KMS, kms.clock, kms.random);
        for (int i = 0; i < SHARE; i++) {
            ticket(client, mallory);
        }
        assertThatThrownBy(() -> ticket(client, mallory)).isInstanceOf(MikeyException.class);
        assertThat(kms.service.handle(mallory.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS).message()).reason()).contains("its share");
        // everybody else is still served
        ticket(client, kms.alice());
        ticket(client, new TicketInitiator(KmsFixture.CONFERENCE, KmsFixture.CONFERENCE_KEY, KmsFixture.KMS, kms.clock, kms.random));
    }
}
