package org.mediasec.kms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.KeyData;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.crypto.MikeyMacs;
import org.mediasec.mikey.ticket.CryptoSessionKey;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.MessageKeys;
import org.mediasec.mikey.ticket.NtpTime;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.TicketMessages;
import org.mediasec.mikey.ticket.TicketProfile;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's procedures (RFC 6043 4.1, 5; TS 33.328 6.2.3), without transport: a MIKEY message in, a MIKEY message
 * out. Ticket Request: REQUEST_INIT_PSK from a known user whose MAC checks → a ticket with fresh TGKs per crypto
 * session and an MPK, sealed under the current master key, and the keys for the initiator (REQUEST_RESP). Ticket
 * Resolve: RESOLVE_INIT_PSK from a known user authorised for the ticket → the keys, forked for that responder when
 * the ticket says so (E2E-9), in RESOLVE_RESP. Anything else → an Error message with the MIKEY error code, and
 * a {@link Outcome} that says which kind of refusal it was. Keys are never logged.
 */
@Implements("E2E-9")
public final class KmsService {

    private static final Logger LOG = LoggerFactory.getLogger(KmsService.class);

    /** How a request ended: the transport maps it to a status (HTTP 200, 400, 403). */
    public enum Outcome { OK, MALFORMED, REFUSED }

    /** The answer to send, always a MIKEY message. */
    public record Reply(byte[] message, Outcome outcome, String reason) {}

    /**
     * Limits and identity of this KMS. {@code replayCapacity} and {@code replayPerUser} bound the replay cache: a user
     * may have at most {@code replayPerUser} live requests in it, so one user cannot lock the others out (SEC-4).
     */
    public record Settings(KmsUid identity, Duration maxTicketLifetime, Duration clockSkew, int replayCapacity, int replayPerUser) {
        public static Settings defaults(KmsUid identity) {
            return new Settings(identity, Duration.ofHours(24), TicketProfile.DEFAULT_CLOCK_SKEW, ReplayCache.DEFAULT_CAPACITY, ReplayCache.DEFAULT_PER_SENDER);
        }

        public Settings withMaxTicketLifetime(Duration lifetime) {
            return new Settings(identity, lifetime, clockSkew, replayCapacity, replayPerUser);
        }

        public Settings withReplayLimits(int capacity, int perUser) {
            return new Settings(identity, maxTicketLifetime, clockSkew, capacity, perUser);
        }
    }

    private static final int SUPPORTED_FLAGS = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_LOCK_TO_RESPONDERS
            | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER | Payload.TicketPolicy.FLAG_TRANSFER_RESPONSE;

    private final Settings settings;
    private final UserStore users;
    private final MasterKeyStore masterKeys;
    private final TicketSealer sealer;
    private final ReplayCache replayCache;
    private final Clock clock;
    private final SecureRandom random;
    /** Keys the decoy pre-shared key of a sender who is not a user: random per process, so nobody can compute one. */
    private final byte[] decoySecret = new byte[32];

    public KmsService(Settings settings, UserStore users, MasterKeyStore masterKeys, Clock clock, SecureRandom random) {
        this.settings = settings;
        this.users = users;
        this.masterKeys = masterKeys;
        this.sealer = new TicketSealer(random);
        // a KMS starting has lost the cache of the one before it (a restart, a crash): only messages sent from now on count
        this.replayCache = ReplayCache.replacingALostOne(clock, settings.clockSkew(), settings.replayCapacity(), settings.replayPerUser());
        this.clock = clock;
        this.random = random;
        random.nextBytes(decoySecret);
    }

    public Settings settings() {
        return settings;
    }

    public Reply handle(byte[] request) {
        long bundle = request.length >= 8 ? ((request[4] & 0xffL) << 24) | ((request[5] & 0xff) << 16) | ((request[6] & 0xff) << 8) | (request[7] & 0xff) : 0;
        try {
            MikeyDecoder.Decoded decoded = MikeyDecoder.decode(request);
            return switch (decoded.message().header().dataType()) {
                case DataType.REQUEST_INIT_PSK -> new Reply(request(decoded), Outcome.OK, "ticket issued");
                case DataType.RESOLVE_INIT_PSK -> new Reply(resolve(decoded), Outcome.OK, "ticket resolved");
                case DataType.REQUEST_INIT_PK, DataType.RESOLVE_INIT_PK ->
                        throw new MikeyException(1, MikeyErrorCode.INVALID_DATA_TYPE, "public-key requests are not supported: users have pre-shared keys");
                default -> throw new MikeyException(1, MikeyErrorCode.INVALID_DATA_TYPE,
                        "data type " + decoded.message().header().dataType() + " is not a request to a KMS");
            };
        } catch (MikeyException e) {
            Outcome outcome = switch (e.error()) {
                case AUTHENTICATION_FAILURE, INVALID_ID, INVALID_TIMESTAMP -> Outcome.REFUSED;
                default -> Outcome.MALFORMED;
            };
            LOG.info("KMS request refused: {}", e.getMessage());
            return new Reply(TicketMessages.error(e, bundle, clock.instant()), outcome, e.getMessage());
        } catch (KmsStoreException e) {
            LOG.warn("KMS store failure: {}", e.getMessage());
            MikeyException error = new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "the KMS's store failed");
            return new Reply(TicketMessages.error(error, bundle, clock.instant()), Outcome.MALFORMED, "store failure: " + e.getMessage());
        }
    }

    /** Ticket Request (RFC 6043 5.1). */
    private byte[] request(MikeyDecoder.Decoded decoded) throws MikeyException, KmsStoreException {
        MikeyMessage message = decoded.message();
        long bundle = message.header().cryptoSessionBundleId();
        CryptoSessionMap.Generic sessions = TicketMessages.tlsSessions(message.header());
        KmsUid initiator = TicketMessages.identity(message, Payload.Identity.ROLE_INITIATOR, "initiator");
        byte[] rand = TicketMessages.required(message, Payload.Rand.class, "RAND").value();
        MessageKeys keys = authenticate(decoded, initiator, bundle, rand);
        addressedToUs(message);
        Payload.TicketPolicy asked = TicketMessages.required(message, Payload.TicketPolicy.class, "ticket policy (TP)");
        if (asked.ticketType() != TicketProfile.TICKET_TYPE) {
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "ticket type " + asked.ticketType() + " is not offered by this KMS");
        }
        List<KmsUid> responders = TicketMessages.identities(message, Payload.Identity.ROLE_RESPONDER);
        if ((asked.flags() & Payload.TicketPolicy.FLAG_LOCK_TO_RESPONDERS) != 0 && responders.isEmpty()) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "a ticket locked to its responders names none");
        }
        Instant now = clock.instant();
        Instant latest = now.plus(settings.maxTicketLifetime());
        Instant validUntil = TicketMessages.timestampWithRole(message, Payload.TimestampWithRole.END_OF_VALIDITY)
                .map(tr -> NtpTime.toInstant(tr.timestamp().value())).filter(end -> end.isBefore(latest)).orElse(latest);
        if (!validUntil.isAfter(now)) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_TIMESTAMP, "the ticket asked for ends before it starts");
        }
        int granted = (asked.flags() & SUPPORTED_FLAGS) | Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS;
        List<CryptoSessionKey> tgks = new ArrayList<>();
        List<KeyData> keyData = new ArrayList<>();
        for (CryptoSessionMap.Generic.Entry entry : sessions.entries()) {
            byte[] tgk = randomKey();
            tgks.add(new CryptoSessionKey(entry.cryptoSessionId(), entry.spi(), tgk));
            keyData.add(TicketMessages.spiKey(KeyData.TGK, tgk, entry.spi()));
        }
        byte[] mpk = randomKey();
        keyData.add(TicketMessages.spiKey(KeyData.MPK, mpk, TicketProfile.MPK_INITIATOR));
        MasterKey masterKey = masterKeys.current();
        Payload.Ticket ticket = sealer.seal(new TicketContents(initiator, responders, granted, now, validUntil, bundle, sessions, tgks, mpk), masterKey);
        Payload.TicketPolicy policy = new Payload.TicketPolicy(asked.ticketType(), asked.subtype(), asked.version(), TicketProfile.PRF, granted, new byte[0]);
        MikeyMessage response = new MikeyMessage(TicketMessages.header(DataType.REQUEST_RESP, bundle, sessions), List.of(
                TicketMessages.now(now), settings.identity().idr(Payload.Identity.ROLE_KMS), policy, ticket,
                new Payload.TimestampWithRole(Payload.TimestampWithRole.END_OF_VALIDITY, TicketMessages.now(validUntil)),
                TicketMessages.kemac(keyData, keys)));
        LOG.info("ticket issued to {} for {} ({} crypto sessions, master key {}, valid until {})", initiator,
                responders.isEmpty() ? "any authorised responder" : responders, sessions.sessions(), masterKey.keyId(), validUntil);
        return TicketMessages.signed(response, keys);
    }

    /** Ticket Resolve (RFC 6043 5.3). */
    private byte[] resolve(MikeyDecoder.Decoded decoded) throws MikeyException, KmsStoreException {
        MikeyMessage message = decoded.message();
        long bundle = message.header().cryptoSessionBundleId();
        KmsUid responder = TicketMessages.identity(message, Payload.Identity.ROLE_RESPONDER, "responder");
        byte[] rand = TicketMessages.required(message, Payload.Rand.class, "RAND").value();
        MessageKeys keys = authenticate(decoded, responder, bundle, rand);
        addressedToUs(message);
        Payload.Ticket ticket = TicketMessages.required(message, Payload.Ticket.class, "TICKET");
        int keyId = TicketSealer.keyId(ticket);
        MasterKey masterKey = masterKeys.find(keyId).orElseThrow(() -> new MikeyException(0, MikeyErrorCode.AUTHENTICATION_FAILURE,
                "the ticket's master key " + keyId + " is not kept (expired ticket or another KMS)"));
        TicketContents contents = sealer.open(ticket, masterKey);
        Instant now = clock.instant();
        if (now.isAfter(contents.validUntil())) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_TIMESTAMP, "the ticket expired at " + contents.validUntil());
        }
        if (bundle != contents.cryptoSessionBundleId() || !message.header().map().equals(contents.sessions())) {
            throw new MikeyException(4, MikeyErrorCode.UNSPECIFIED, "RESOLVE_INIT's crypto session bundle is not the ticket's");
        }
        authorise(responder, contents);
        boolean fork = (contents.flags() & Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER) != 0;
        List<CryptoSessionKey> tgks = fork ? TicketMessages.forkTgks(contents.tgks(), bundle, responder) : contents.tgks();
        byte[] mpkResponder = fork ? TicketMessages.forkMpk(contents.mpk(), bundle, responder) : contents.mpk();
        List<KeyData> keyData = new ArrayList<>();
        tgks.forEach(tgk -> keyData.add(TicketMessages.spiKey(KeyData.TGK, tgk.key(), tgk.spi())));
        keyData.add(TicketMessages.spiKey(KeyData.MPK, contents.mpk(), TicketProfile.MPK_INITIATOR));
        keyData.add(TicketMessages.spiKey(KeyData.MPK, mpkResponder, TicketProfile.MPK_RESPONDER));
        MikeyMessage response = new MikeyMessage(TicketMessages.header(DataType.RESOLVE_RESP, bundle, contents.sessions()), List.of(
                TicketMessages.now(now), settings.identity().idr(Payload.Identity.ROLE_KMS), contents.initiator().idr(Payload.Identity.ROLE_INITIATOR),
                new Payload.TimestampWithRole(Payload.TimestampWithRole.END_OF_VALIDITY, TicketMessages.now(contents.validUntil())),
                TicketMessages.kemac(keyData, keys)));
        LOG.info("ticket of {} resolved for {}{}", contents.initiator(), responder, fork ? " (keys forked)" : "");
        return TicketMessages.signed(response, keys);
    }

    /**
     * The sender must be a user whose pre-shared key checks the MAC, and the message must be fresh and new. A sender
     * who is not a user is checked against a decoy key, by the same steps, and fails exactly as a wrong MAC does: same
     * error, same text, about the same time (no user enumeration, SEC-4). Only an authenticated user reaches the
     * replay cache, so its per-user share is that user's own.
     */
    private MessageKeys authenticate(MikeyDecoder.Decoded decoded, KmsUid sender, long bundle, byte[] rand) throws MikeyException, KmsStoreException {
        Optional<byte[]> key = users.preSharedKey(sender.value());
        MessageKeys keys = MessageKeys.derive(key.orElseGet(() -> decoyKey(sender)), bundle, rand);
        MikeyMacs.verify(decoded, keys.authenticationKey());
        if (key.isEmpty()) {
            // only if someone computed a MAC with the decoy, which needs the process's random secret
            throw new MikeyException(decoded.macOffset().orElse(0), MikeyErrorCode.AUTHENTICATION_FAILURE, "the MAC does not check");
        }
        replayCache.accept(sender.value(), TicketMessages.timestamp(decoded.message()), TicketMessages.macOf(decoded), 0);
        return keys;
    }

    private byte[] decoyKey(KmsUid sender) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(decoySecret, "HmacSHA256"));
            return mac.doFinal(sender.value().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is missing from this JDK", e);
        }
    }

    private void addressedToUs(MikeyMessage message) throws MikeyException {
        List<KmsUid> named = TicketMessages.identities(message, Payload.Identity.ROLE_KMS);
        if (!named.isEmpty() && !named.contains(settings.identity())) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "the request is for KMS " + named + ", this is " + settings.identity());
        }
    }

    /**
     * Who may resolve (TS 33.328 6.2.3): a responder the ticket names; with the ticket locked to them, nobody else;
     * otherwise also a user whose rules let it resolve tickets of the initiator.
     */
    private void authorise(KmsUid responder, TicketContents contents) throws MikeyException, KmsStoreException {
        if (contents.responders().contains(responder)) {
            return;
        }
        boolean locked = (contents.flags() & Payload.TicketPolicy.FLAG_LOCK_TO_RESPONDERS) != 0;
        boolean ruled = users.find(responder.value()).map(u -> u.mayResolve(contents.initiator().value())).orElse(false);
        if (locked || !ruled) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, responder + " may not resolve tickets of " + contents.initiator());
        }
    }

    private byte[] randomKey() {
        byte[] key = new byte[TicketProfile.KEY_BYTES];
        random.nextBytes(key);
        return key;
    }
}
