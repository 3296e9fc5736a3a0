package org.mediasec.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mediasec.app.ue.ConferenceUe;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mediasec ue}: a simulated UE with one MSRP stream over TCP or TLS on 127.0.0.1. SDP goes through files
 * (SIP is not simulated): the offerer writes its offer and waits for the answer file; the answerer reads the offer
 * and writes its answer. Two of them chat directly, or through a gateway whose controller rewrites the files.
 */
@Command(name = "ue", mixinStandardHelpOptions = true, description = "A simulated UE: MSRP over TCP or TLS, SDP offer/answer through files.")
public final class UeCommand implements Callable<Integer> {

    /** Where a conference UE finds its KMS key when no --kms-key-file is given (SEC-4: never on the command line). */
    static final String KMS_KEY_VARIABLE = "MEDIASEC_KMS_KEY";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = "ue", description = "Name (certificate common name, traces).")
    private String name;

    @Option(names = "--tls", description = "TCP/TLS/MSRP with a generated certificate (else TCP/MSRP).")
    private boolean tls;

    @Option(names = "--e2ae", description = "Request e2ae media security (a=3ge2ae:requested; needs --tls).")
    private boolean e2ae;

    @Option(names = "--no-cema", description = "Do not offer CEMA (a=msrp-cema); connect to the a=path address.")
    private boolean noCema;

    @Option(names = "--setup", defaultValue = "actpass", description = "a=setup of an offer: actpass, active or passive.")
    private String setup;

    @Option(names = "--offer-out", paramLabel = "FILE", description = "Offer: write the SDP offer here...")
    private Path offerOut;

    @Option(names = "--answer-in", paramLabel = "FILE", description = "...and wait for the SDP answer here.")
    private Path answerIn;

    @Option(names = "--offer-in", paramLabel = "FILE", description = "Answer: wait for the SDP offer here...")
    private Path offerIn;

    @Option(names = "--answer-out", paramLabel = "FILE", description = "...and write the SDP answer here.")
    private Path answerOut;

    @Option(names = "--send", paramLabel = "TEXT", description = "A text message to send once connected (repeatable).")
    private List<String> texts = new ArrayList<>();

    @Option(names = "--file", paramLabel = "PATH", description = "A file to send once connected (one message, chunked).")
    private Path file;

    @Option(names = "--expect", defaultValue = "0", description = "Messages to wait for before leaving.")
    private int expect;

    @Option(names = "--wait", defaultValue = "60", description = "Seconds to wait for the peer's SDP and for messages.")
    private int waitSeconds;

    @Option(names = "--conference", paramLabel = "URI", description = "Dial in to this conference (E2E-1): each stream TLS-PSK keyed by MIKEY-TICKET (needs --kms, --kms-fingerprint, --kms-key-file). "
            + "Answering an offer that carries a=key-mgmt:mikey (a dial-out, E2E-2) needs the same --kms options.")
    private String conference;

    @Option(names = "--identity", paramLabel = "URI", description = "Our SIP URI, whose KMS UID the KMS knows (default sip:<name>@mediasec.invalid).")
    private String identity;

    @Option(names = "--kms", paramLabel = "URL", description = "The KMS, e.g. https://127.0.0.1:8443/ (mediasec kms serve).")
    private java.net.URI kmsUrl;

    @Option(names = "--kms-fingerprint", paramLabel = "FINGERPRINT", description = "The KMS certificate's fingerprint, e.g. 'sha-256 AB:CD:…' (printed by kms serve).")
    private String kmsFingerprint;

    @Option(names = "--kms-key-file", paramLabel = "FILE", description = "Our pre-shared key at the KMS, hex (printed by kms user add), in FILE;"
            + " '-': standard input; default: the environment variable " + KMS_KEY_VARIABLE + ". Never on the command line.")
    private String kmsKeyFile;

    @Option(names = "--kms-identity", defaultValue = "sip:kms@mediasec.invalid", paramLabel = "URI", description = "The KMS's own UID (default ${DEFAULT-VALUE}).")
    private String kmsIdentity;

    @Option(names = "--floor", description = "With --conference: a BFCP stream too; the floor is requested once connected.")
    private boolean floor;

    @Option(names = "--hold-floor", defaultValue = "0", paramLabel = "SECONDS", description = "How long to hold the floor once granted, then release it.")
    private int holdFloor;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean offering = offerOut != null || answerIn != null;
        boolean answering = offerIn != null || answerOut != null;
        if (offering == answering || (offering && (offerOut == null || answerIn == null)) || (answering && (offerIn == null || answerOut == null))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --offer-out and --answer-in, or --offer-in and --answer-out");
        }
        if (e2ae && !tls) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--e2ae needs --tls");
        }
        Setup offerSetup = Setup.of(setup).filter(s -> s != Setup.HOLDCONN)
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--setup: actpass, active or passive, not " + setup));
        UeOptions options = UeOptions.msrp(name, tls, e2ae).withCema(!noCema).withSetups(offerSetup, Setup.ACTIVE);
        UeTrace trace = (ue, kind, sent, peer, what) -> {
            synchronized (out) {
                out.println(ue + ": " + (kind == UeTrace.Kind.MSRP ? (sent ? "sent " : "received ") : "") + what);
                out.flush();
            }
        };
        if (conference != null || kmsUrl != null) {
            UeTrace conferenceTrace = (ue, kind, sent, peer, what) -> {
                synchronized (out) {
                    out.println(ue + ": " + switch (kind) {
                        case MIKEY -> "MIKEY ";
                        case BFCP -> "BFCP " + (sent ? "sent " : "received ");
                        default -> "";
                    } + what);
                    out.flush();
                }
            };
            return conference(out, offering, conferenceTrace);
        }
        if (floor) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--floor needs --conference");
        }
        try (UserEquipment ue = new UserEquipment(options, trace)) {
            SessionDescription peer;
            if (offering) {
                Files.writeString(offerOut, ue.offer().write());
                out.println(name + ": offer written to " + offerOut + "; waiting for the answer in " + answerIn);
                out.flush();
                peer = read(answerIn);
            } else {
                peer = read(offerIn);
                Files.writeString(answerOut, ue.answer(peer).write());
                out.println(name + ": answer written to " + answerOut);
                out.flush();
            }
            ue.start(peer).get(waitSeconds, TimeUnit.SECONDS);
            for (String text : texts) {
                ue.sendText(text).get(waitSeconds, TimeUnit.SECONDS);
            }
            if (file != null) {
                ue.sendFile(Files.readAllBytes(file)).get(waitSeconds, TimeUnit.SECONDS);
                out.println(name + ": file " + file + " delivered (" + Files.size(file) + " bytes, Success REPORT received)");
            }
            for (UserEquipment.Received message : ue.awaitMessages(expect, Duration.ofSeconds(waitSeconds))) {
                out.println(name + ": message " + message.contentType() + " (" + message.body().length + " bytes)"
                        + (message.contentType().startsWith("text/") ? ": " + message.text() : ""));
            }
            out.flush();
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            spec.commandLine().getErr().println(name + ": " + e.getCause().getMessage());
            return 1;
        } catch (java.util.concurrent.TimeoutException e) {
            spec.commandLine().getErr().println(name + ": timed out: " + e.getMessage());
            return 1;
        }
    }

    /**
     * A conference participant (docs/conference.md): dial-in offers with a ticket for the conference, dial-out answers
     * the MRFC's offer after resolving its ticket; each stream is TLS-PSK with its own TEK.
     */
    private int conference(PrintWriter out, boolean offering, UeTrace trace) throws Exception {
        String kmsKeyVariable = System.getenv(KMS_KEY_VARIABLE);
        if (kmsUrl == null || kmsFingerprint == null || (kmsKeyFile == null && kmsKeyVariable == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a conference needs --kms, --kms-fingerprint and --kms-key-file (or "
                    + KMS_KEY_VARIABLE + ")");
        }
        if (offering && conference == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "an offer to a conference needs --conference URI");
        }
        if (!offering && (conference != null || floor)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--conference and --floor are for dialling in (--offer-out)");
        }
        if (tls || e2ae) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a conference's TLS is TLS-PSK: drop --tls and --e2ae");
        }
        String[] fingerprint = kmsFingerprint.strip().split("[ =]", 2);
        byte[] key;
        org.mediasec.bearer.tls.CertificateFingerprint pinned;
        try {
            key = kmsKeyFile != null ? SecretInput.hexKey(kmsKeyFile, System.in, spec.commandLine().getErr(), "--kms-key-file")
                    : SecretInput.hex(kmsKeyVariable, KMS_KEY_VARIABLE);
            pinned = org.mediasec.bearer.tls.CertificateFingerprint.parse(fingerprint[0], fingerprint.length > 1 ? fingerprint[1].strip() : "");
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kms-key-file or --kms-fingerprint: " + e.getMessage());
        }
        org.mediasec.mikey.ticket.KmsUid self = org.mediasec.mikey.ticket.KmsUid.fromSipUri(identity != null ? identity : "sip:" + name + "@mediasec.invalid");
        try (org.mediasec.kms.client.KmsClient kms = new org.mediasec.kms.client.KmsClient(kmsUrl, pinned, Duration.ofSeconds(waitSeconds));
                ConferenceUe ue = new ConferenceUe(name, self, key, new org.mediasec.mikey.ticket.KmsUid(kmsIdentity), kms, floor, trace)) {
            if (offering) {
                Files.writeString(offerOut, ue.offer(org.mediasec.mikey.ticket.KmsUid.fromSipUri(conference)).write());
                out.println(name + ": offer to " + conference + " written to " + offerOut + "; waiting for the answer in " + answerIn);
                out.flush();
                ue.answered(read(answerIn));
            } else {
                SessionDescription offer = read(offerIn);
                Files.writeString(answerOut, ue.answer(offer).write());
                out.println(name + ": answer written to " + answerOut);
                out.flush();
                ue.connect(Duration.ofSeconds(waitSeconds));
            }
            if (floor) {
                takeTheFloor(out, ue);
            }
            for (String text : texts) {
                ue.say("text/plain", text.getBytes(StandardCharsets.UTF_8)).get(waitSeconds, TimeUnit.SECONDS);
            }
            if (file != null) {
                ue.say("application/octet-stream", Files.readAllBytes(file)).get(waitSeconds, TimeUnit.SECONDS);
                out.println(name + ": file " + file + " delivered to the conference (" + Files.size(file) + " bytes, Success REPORT received)");
            }
            for (int i = 0; i < expect; i++) {
                ConferenceUe.Message message = ue.next(Duration.ofSeconds(waitSeconds));
                String text = new String(message.body(), StandardCharsets.UTF_8);
                out.println(name + ": message " + message.contentType() + " (" + message.body().length + " bytes)"
                        + (message.contentType().startsWith("text/") || message.contentType().equals("message/cpim") ? ": " + text.strip() : ""));
            }
            out.flush();
            return 0;
        } catch (org.mediasec.mikey.MikeyException e) {
            spec.commandLine().getErr().println(name + ": key management refused: " + e.getMessage());
            return 1;
        } catch (java.util.concurrent.ExecutionException e) {
            spec.commandLine().getErr().println(name + ": " + e.getCause().getMessage());
            return 1;
        }
    }

    /** Hello, FloorRequest; wait until granted (another may hold it), hold it, release it (RFC 8855 9). */
    private void takeTheFloor(PrintWriter out, ConferenceUe ue) throws Exception {
        org.mediasec.bfcp.BfcpMessage hello = org.mediasec.bfcp.BfcpMessage.of(org.mediasec.bfcp.BfcpPrimitive.HELLO, ue.conferenceId, 1, ue.userId);
        ue.floor(hello);
        ue.nextFloorMessage(Duration.ofSeconds(waitSeconds));
        ue.floor(org.mediasec.bfcp.BfcpMessage.of(org.mediasec.bfcp.BfcpPrimitive.FLOOR_REQUEST, ue.conferenceId, 2, ue.userId,
                new org.mediasec.bfcp.BfcpAttribute.FloorId(ue.floorId)));
        int request = -1;
        while (true) {
            org.mediasec.bfcp.BfcpMessage status = ue.nextFloorMessage(Duration.ofSeconds(waitSeconds));
            var information = status.first(org.mediasec.bfcp.BfcpAttribute.FloorRequestInformation.class);
            if (information.isEmpty()) {
                throw new java.util.concurrent.ExecutionException(new java.io.IOException("the floor control server answered " + ConferenceUe.describe(status)));
            }
            request = information.get().headerValue();
            var overall = information.get().first(org.mediasec.bfcp.BfcpAttribute.OverallRequestStatus.class)
                    .flatMap(o -> o.first(org.mediasec.bfcp.BfcpAttribute.RequestStatusAttribute.class)).map(org.mediasec.bfcp.BfcpAttribute.RequestStatusAttribute::status);
            if (overall.filter(s -> s == org.mediasec.bfcp.RequestStatus.GRANTED).isPresent()) {
                break;
            }
            if (overall.filter(org.mediasec.bfcp.RequestStatus::terminal).isPresent()) {
                throw new java.util.concurrent.ExecutionException(new java.io.IOException("floor request " + overall.get()));
            }
        }
        out.println(name + ": holding the floor for " + holdFloor + " s");
        out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdFloor));
        ue.floor(org.mediasec.bfcp.BfcpMessage.of(org.mediasec.bfcp.BfcpPrimitive.FLOOR_RELEASE, ue.conferenceId, 3, ue.userId,
                new org.mediasec.bfcp.BfcpAttribute.FloorRequestId(request)));
        ue.nextFloorMessage(Duration.ofSeconds(waitSeconds));
    }

    /** Waits for an SDP file to appear and be complete (it ends with a line end), then parses it. */
    private SessionDescription read(Path path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (true) {
            if (Files.exists(path)) {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                if (text.endsWith("\n")) {
                    try {
                        return SdpParser.parse(text);
                    } catch (SdpParseException e) {
                        throw new CommandLine.ExecutionException(spec.commandLine(), path + ": not valid SDP: " + e.getMessage());
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("no SDP in " + path + " within " + waitSeconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
