package org.mediasec.kms;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyException;

/**
 * Jazzer: whatever bytes reach the KMS, it answers with a MIKEY message that decodes (an Error message for all but
 * well-signed requests) and never throws. The TRANSFER_INIT reader of a responder likewise gives a transfer or the
 * typed refusal.
 */
class KmsServiceFuzzTest {

    private static KmsFixture kms;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("kms-fuzz");
        kms = new KmsFixture(data);
    }

    @AfterAll
    static void stop() throws Exception {
        kms.close();
    }

    @FuzzTest
    void anyRequest(byte[] input) throws Exception {
        KmsService.Reply reply = kms.service.handle(input);
        MikeyDecoder.decode(reply.message());
        try {
            kms.responder(KmsFixture.CONFERENCE, KmsFixture.CONFERENCE_KEY).acceptTransferInit(input);
        } catch (MikeyException expected) {
            // typed refusal
        }
    }
}
