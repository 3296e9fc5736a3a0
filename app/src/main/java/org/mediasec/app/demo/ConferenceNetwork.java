package org.mediasec.app.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mediasec.app.ue.ConferenceUe;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.OwnerOnlyFiles;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayPeer;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.controller.mrfc.ConferenceListener;
import org.mediasec.controller.mrfc.MrfcProcedures;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.h248stack.transport.WireTap;
import org.mediasec.kms.KeyEncryptionKeys;
import org.mediasec.kms.KmsService;
import org.mediasec.kms.KmsStoreException;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.ticket.KmsUid;

/**
 * The demo's conference network on 127.0.0.1 (docs/conference.md): a KMS (HTTPS, its users and the conference's
 * roster in an H2 database of the work folder), an MRFP ({@code mediasec gateway} process with the mrfp profile,
 * H.248 over UDP), the MRFC procedures in this process, and conference UEs. Every exchange is drawn on the ladder:
 * MIKEY by message type, H.248 from the MRFC's wire tap, TLS-PSK handshakes, chat and floor control.
 */
public final class ConferenceNetwork implements AutoCloseable {

    public static final String DOMAIN = "ims.example.org";
    public static final KmsUid KMS_UID = new KmsUid("sip:kms@" + DOMAIN);
    public static final KmsUid CONFERENCE = new KmsUid("sip:conf1@" + DOMAIN);
    static final String MRFC = "MRFC";
    static final String KMS = "KMS";
    static final String MRFP = "MRFP";
    /** Lifelines: the UEs by name, then the network. */
    static final Map<String, String> LIFELINES = Map.of("alice", "UE-A", "bob", "UE-B", "carol", "UE-C", "mallory", "Mallory");
    static final List<String> PARTICIPANTS = List.of("UE-A", "UE-B", "UE-C", "Mallory", MRFC, KMS, MRFP);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> keys = new HashMap<>();
    private final ExecutorService kmsWorkers = Executors.newFixedThreadPool(2, Thread.ofVirtual().factory());
    private final UserStore users;
    private final MasterKeyStore masterKeys;
    private final KmsServer kmsServer;
    private final KmsClient kms;
    private final GatewayProcess mrfp;
    private final MediaGatewayController controller;
    private final MrfcProcedures mrfc;
    private final Map<String, java.util.concurrent.CompletableFuture<String>> releases = new ConcurrentHashMap<>();
    private final List<String> mikey = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The initiator of each TRANSFER_INIT the MRFC took or made, by call, until the KMS is asked to resolve it. */
    private final Map<String, String> transferInits = new ConcurrentHashMap<>();
    private final CertificateFingerprint kmsFingerprint;
    private volatile Ladder ladder = new Ladder(PARTICIPANTS);

    private ConferenceNetwork(Path directory, GatewayProcess mrfp, int mgcPort) throws IOException, InterruptedException, KmsStoreException {
        this.mrfp = mrfp;
        String url = UserStore.defaultUrl(directory.resolve("kms"));
        KeyEncryptionKeys keks = KeyEncryptionKeys.open(directory.resolve("kms-kek"), random);
        users = UserStore.open(url, keks);
        masterKeys = MasterKeyStore.open(url, keks, Clock.systemUTC(), random);
        // the conference's own identity resolves the tickets of those who dial in; the roster is the users' --conference
        users.add(new KmsUser(CONFERENCE.value(), key(CONFERENCE.value()), Set.of(KmsUser.ANY), Set.of()));
        for (String name : List.of("alice", "bob", "carol")) {
            users.add(new KmsUser(uid(name).value(), key(name), Set.of(), Set.of(CONFERENCE.value())));
        }
        users.add(new KmsUser(uid("mallory").value(), key("mallory"), Set.of(), Set.of()));
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("kms", Duration.ofDays(1));
        kmsServer = KmsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), certificate,
                new KmsService(KmsService.Settings.defaults(KMS_UID), users, masterKeys, Clock.systemUTC(), random));
        kmsFingerprint = CertificateFingerprint.of("sha-256", certificate.certificate());
        kms = new KmsClient(kmsUrl(), kmsFingerprint, Duration.ofSeconds(10));
        controller = MediaGatewayController.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), mgcPort), 3,
                List.of(new GatewayPeer("mrfp1", mrfp.control(), "conference")));
        controller.tap((direction, protocol, local, remote, text) -> {
            String summary = H248Summary.of(text);
            if (summary.equals("ResponseAck") || summary.equals("Pending") || summary.contains("ServiceChange")) {
                return;
            }
            if (direction == WireTap.Direction.SENT) {
                ladder.arrow(MRFC, MRFP, summary);
            } else {
                ladder.arrow(MRFP, MRFC, summary);
            }
        });
        mrfc = new MrfcProcedures(controller, "conference", KMS_UID, kms, (participant, conference) -> {
            try {
                return users.find(participant.value()).map(user -> user.mayJoin(conference.value())).orElse(false);
            } catch (KmsStoreException e) {
                return false;
            }
        }, Clock.systemUTC(), kmsWorkers, new ConferenceListener() {
            @Override
            public void onParticipantReleased(String callId, String reason) {
                ladder.note(MRFC, callId + " released by the MRFP: " + reason);
                releases.computeIfAbsent(callId, id -> new java.util.concurrent.CompletableFuture<>()).complete(reason);
            }

            @Override
            public void onMikey(String callId, String message, String peer) {
                mikey.add(callId + " " + message);
                switch (message) {
                    case "TRANSFER_INIT" -> transferInits.put(callId, peer);
                    case "TRANSFER_RESP" -> transferInits.remove(callId);
                    default -> { }
                }
                if (peer.equals("KMS")) {
                    String initiator = message.equals("RESOLVE_INIT") ? transferInits.remove(callId) : null;
                    if (initiator != null) {
                        // the MRFC asks the KMS only once its checks of the TRANSFER_INIT passed: now they have run
                        ladder.note(MRFC, "TRANSFER_INIT of " + initiator + " checked (form, freshness, replay, From = IDRi, on the roster)");
                    }
                    if (message.endsWith("_INIT")) {
                        ladder.arrow(MRFC, KMS, "MIKEY " + message);
                    } else {
                        ladder.arrow(KMS, MRFC, "MIKEY " + message);
                    }
                }
            }
        });
        mrfc.addConference(new MrfcProcedures.ConferenceIdentity(CONFERENCE, key(CONFERENCE.value())));
    }

    public static ConferenceNetwork start(Path directory, Duration timeout) throws Exception {
        // the MRFP's JVM start is the longest step: it goes first and runs while the KMS and the MRFC are set up here
        int mgcPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            mgcPort = probe.getLocalPort();
        }
        GatewayProcess mrfp = GatewayProcess.start("mrfp1", directory, "mrfp", mgcPort);
        ConferenceNetwork network;
        try {
            network = new ConferenceNetwork(directory, mrfp, mgcPort);
        } catch (Exception | Error e) {
            mrfp.close();
            throw e;
        }
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!network.controller.gateways().stream().allMatch(ControlledGateway::registered)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the MRFP did not register within " + timeout.toSeconds() + " s (see " + network.mrfp.log() + ")");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            network.close();
            throw e;
        }
        return network;
    }

    static KmsUid uid(String name) {
        return new KmsUid("sip:" + name + "@" + DOMAIN);
    }

    private byte[] key(String identity) {
        return keys.computeIfAbsent(identity.startsWith("sip:") ? identity : uid(identity).value(), id -> {
            byte[] key = new byte[16];
            random.nextBytes(key);
            return key;
        }).clone();
    }

    /** A UE of this network, its events drawn on the ladder; {@code floor}: with a BFCP stream. */
    public ConferenceUe ue(String name, boolean floor) throws IOException {
        return new ConferenceUe(name, DOMAIN, key(name), KMS_UID, kms, floor, trace());
    }

    private UeTrace trace() {
        return (ue, kind, sent, peer, what) -> {
            String lifeline = LIFELINES.get(ue);
            String other = switch (peer) {
                case "KMS" -> KMS;
                case "MRFC" -> MRFC;
                default -> MRFP;
            };
            switch (kind) {
                case MIKEY -> {
                    if (other.equals(KMS)) {
                        ladder.arrow(sent ? lifeline : KMS, sent ? KMS : lifeline, "MIKEY " + what);
                    } else {
                        ladder.note(lifeline, what);
                    }
                }
                case TLS, TCP, ERROR -> ladder.note(lifeline, what);
                case MSRP, BFCP -> ladder.arrow(sent ? lifeline : other, sent ? other : lifeline, what);
            }
        };
    }

    public MrfcProcedures mrfc() {
        return mrfc;
    }

    /** The KMS client of this network (pinned to the KMS's certificate), for UEs built outside {@link #ue}. */
    public KmsClient kms() {
        return kms;
    }

    /**
     * The terminations the MRFP holds, in all its contexts, as it answers AuditValue over H.248 (H.248.1 7.2.5): what
     * is left on the MRFP itself, not the MRFC's bookkeeping. Empty when the MRFP answers that none matched (431).
     */
    public List<String> mrfpTerminations(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        ControlledGateway gateway = controller.gateways().get(0);
        try {
            CommandReply.AuditReply reply = gateway.commands().auditValue(ContextId.ALL, TerminationId.ALL, new Descriptor.AuditDescriptor(List.of()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).reply();
            if (!(reply instanceof CommandReply.ContextTerminationAudit audit)) {
                throw new IllegalStateException("the MRFP answered AuditValue of * with " + reply);
            }
            return audit.terminationIds().stream().map(TerminationId::id).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandFailedException failed && failed.error().code() == ErrorCode.NO_TERMINATION_ID_MATCHED_WILDCARD.code()) {
                return List.of();
            }
            throw e;
        }
    }

    /** The KMS's address, e.g. for {@code mediasec ue --kms}. */
    public URI kmsUrl() {
        return URI.create("https://127.0.0.1:" + kmsServer.address().getPort() + "/");
    }

    /** The KMS certificate's fingerprint, as {@code mediasec ue --kms-fingerprint} takes it. */
    public String kmsFingerprint() {
        return kmsFingerprint.toString();
    }

    /**
     * A user's pre-shared key at the KMS written in hex to an owner-only file in {@code directory}, as
     * {@code mediasec ue --kms-key-file} takes it (SEC-4: a key is never put on a command line). Returns the file.
     */
    public Path keyFile(String name, Path directory) throws IOException {
        Path file = directory.resolve(name + ".kms-key");
        OwnerOnlyFiles.write(file, HexFormat.of().formatHex(key(name)).getBytes(StandardCharsets.US_ASCII));
        return file;
    }

    /** A user's pre-shared key at the KMS, for UEs in the same process (a copy). */
    public byte[] userKey(String name) {
        return key(name);
    }

    /** The MRFC's MIKEY exchanges so far, as "callId MESSAGE". */
    public List<String> mikey() {
        return List.copyOf(mikey);
    }

    Ladder newLadder() {
        ladder = new Ladder(PARTICIPANTS);
        return ladder;
    }

    Ladder ladder() {
        return ladder;
    }

    /** Completes with the reason when the MRFP releases the participant. */
    public java.util.concurrent.CompletableFuture<String> release(String callId) {
        return releases.computeIfAbsent(callId, id -> new java.util.concurrent.CompletableFuture<>());
    }

    @Override
    public void close() throws InterruptedException {
        if (mrfp != null) {
            mrfp.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (kmsServer != null) {
            kmsServer.close();
        }
        kmsWorkers.shutdownNow();
        if (kms != null) {
            kms.close();
        }
        try {
            masterKeys.close();
            users.close();
        } catch (KmsStoreException e) {
            // closing anyway
        }
    }
}
