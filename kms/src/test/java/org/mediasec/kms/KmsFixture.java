package org.mediasec.kms;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;

/** A KMS on a real database file with a settable clock, and the users of the tests. */
final class KmsFixture implements AutoCloseable {

    static final KmsUid KMS = new KmsUid("sip:kms@ims.example.org");
    static final KmsUid ALICE = KmsUid.fromSipUri("\"Alice\" <sip:alice@IMS.example.org;transport=tcp>");
    static final KmsUid CONFERENCE = new KmsUid("sip:conf1@ims.example.org");
    static final KmsUid CONFERENCE_2 = new KmsUid("sip:conf2@ims.example.org");
    static final KmsUid MALLORY = new KmsUid("sip:mallory@ims.example.org");
    static final byte[] ALICE_KEY = "alice-psk-0123456789".getBytes();
    static final byte[] CONFERENCE_KEY = "conference-psk-0123456789".getBytes();
    static final byte[] CONFERENCE_2_KEY = "conference2-psk-0123456789".getBytes();
    static final byte[] MALLORY_KEY = "mallory-psk-0123456789".getBytes();

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final MovableClock clock = new MovableClock();
    final SecureRandom random = new SecureRandom();
    final String url;
    final Path kekFile;
    KeyEncryptionKeys keks;
    UserStore users;
    MasterKeyStore masterKeys;
    KmsService service;

    KmsFixture(Path dataDirectory) throws KmsStoreException {
        url = UserStore.defaultUrl(dataDirectory);
        kekFile = dataDirectory.resolve("kek");
        open();
        users.add(new KmsUser(ALICE.value(), ALICE_KEY, Set.of(), Set.of(CONFERENCE.value())));
        users.add(new KmsUser(CONFERENCE.value(), CONFERENCE_KEY, Set.of(KmsUser.ANY), Set.of()));
        users.add(new KmsUser(CONFERENCE_2.value(), CONFERENCE_2_KEY, Set.of(KmsUser.ANY), Set.of()));
        users.add(new KmsUser(MALLORY.value(), MALLORY_KEY, Set.of(), Set.of()));
    }

    private void open() throws KmsStoreException {
        open(KmsService.Settings.defaults(KMS));
    }

    /** Opens the stores (under the KEK file of the data directory) and a service with {@code settings}. */
    void open(KmsService.Settings settings) throws KmsStoreException {
        keks = KeyEncryptionKeys.open(kekFile, random);
        users = UserStore.open(url, keks);
        masterKeys = MasterKeyStore.open(url, keks, clock, random);
        service = new KmsService(settings, users, masterKeys, clock, random);
    }

    /** Closes the database and opens it again, as a KMS restart does (the replay cache starts empty). */
    void restart() throws KmsStoreException {
        close();
        open();
    }

    TicketInitiator alice() {
        return new TicketInitiator(ALICE, ALICE_KEY, KMS, clock, random);
    }

    TicketResponder responder(KmsUid uid, byte[] key) {
        return new TicketResponder(uid, key, KMS, clock, random, new ReplayCache(clock));
    }

    /** Sends a request to the service as the HTTP layer would, and returns the answer's bytes. */
    byte[] kms(byte[] request) {
        return service.handle(request).message();
    }

    @Override
    public void close() throws KmsStoreException {
        masterKeys.close();
        users.close();
    }
}
