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
