package org.mediasec.it.sip;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mediasec.app.demo.ControllerProcess;
import org.mediasec.app.demo.GatewayProcess;
import org.mediasec.app.sip.KamailioProcess;
import org.mediasec.ng.NgList;
import org.mediasec.ng.message.NgKeys;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.testsupport.FreePorts;

/**
 * A SIP network on 127.0.0.1, every part a process of its own: a {@code mediasec gateway} (IMS-AGW), a
 * {@code mediasec controller} (IMS-ALG with its ng port) that the gateway registered with, and Kamailio (the shipped
 * P-CSCF example) whose rtpengine module drives the controller's ng port.
 */
final class SipNetwork implements AutoCloseable {

    private static final Pattern FINGERPRINT = Pattern.compile("certificate fingerprint (sha-256 [0-9A-F:]+)");

    final GatewayProcess gateway;
    final ControllerProcess controller;
    final KamailioProcess kamailio;
    final NgProbe ng;
    private final Path directory;

    private SipNetwork(Path directory, GatewayProcess gateway, ControllerProcess controller, KamailioProcess kamailio, NgProbe ng) {
        this.directory = directory;
        this.gateway = gateway;
        this.controller = controller;
        this.kamailio = kamailio;
        this.ng = ng;
    }

    static SipNetwork start(Path directory, boolean forkTest) throws Exception {
        ControllerProcess controller = ControllerProcess.prepare("controller", directory);
        GatewayProcess gateway = GatewayProcess.start("agw1", directory, "ims-agw", controller.h248Port());
        KamailioProcess kamailio = null;
        try {
            controller.start(List.of(new ControllerProcess.Gateway("agw1", gateway.control().getPort())), "");
            controller.awaitRegistrations(1);
            kamailio = KamailioProcess.start(directory.resolve("kamailio"), FreePorts.udp(), FreePorts.udp(), controller.ng(), forkTest);
            return new SipNetwork(directory, gateway, controller, kamailio, new NgProbe(controller.ng()));
        } catch (Exception | Error e) {
            if (kamailio != null) {
                kamailio.close();
            }
            controller.close();
            gateway.close();
            throw e;
        }
    }

    Path directory(String name) throws IOException {
        return Files.createDirectories(directory.resolve(name));
    }

    /** The gateway's certificate fingerprint, as it announced it at start. */
    String gatewayFingerprint() throws IOException {
        Matcher matcher = FINGERPRINT.matcher(Files.readString(gateway.log()));
        if (!matcher.find()) {
            throw new AssertionError("the gateway did not announce its fingerprint (" + gateway.log() + ")");
        }
        return matcher.group(1);
    }

    /** The call IDs the controller holds ({@code list}). */
    List<String> calls() throws Exception {
        NgReply reply = ng.request(new NgRequest.ListCalls(NgParameters.NONE));
        NgList calls = (NgList) ((NgReply.Ok) reply).fields().get(NgKeys.CALLS);
        return calls.items().stream().map(item -> ((org.mediasec.ng.NgString) item).utf8().orElseThrow()).toList();
    }

    NgReply query(String callId) throws Exception {
        return ng.request(new NgRequest.Query(NgParameters.builder().callId(callId).build()));
    }

    /** The controller's metric {@code name} (Prometheus text), e.g. the contexts it holds on the gateway. */
    double metric(String name) throws Exception {
        String text;
        try (HttpClient client = HttpClient.newHttpClient()) {
            text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.metricsPort() + "/metrics")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).mapToDouble(line -> Double.parseDouble(
                line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Override
    public void close() throws Exception {
        ng.close();
        kamailio.close();
        gateway.close();
        controller.close();
    }
}
