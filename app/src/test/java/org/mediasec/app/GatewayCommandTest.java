package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.mediasec.gateway.GatewayServer;
import org.mediasec.h248stack.transport.CertificatePin;
import org.mediasec.h248stack.transport.UnknownPeers;
import org.junit.jupiter.api.Test;
import org.mediasec.bearer.PassiveSourcePolicy;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The gateway's configuration: the embedded default, and one clear message with exit code 2 for each kind of mistake. */
class GatewayCommandTest {

    @TempDir
    Path dir;

    private GatewayCommand.Resolved resolve(String yaml) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        return GatewayCommand.resolve(GatewayCommand.read(file), dir.resolve("data"));
    }

    @Test
    void theEmbeddedDefaultWorksOnOneMachineAndKeepsItsCertificate() throws Exception {
        GatewayCommand.Resolved first = GatewayCommand.resolve(GatewaySettings.empty(), dir.resolve("data"));
        assertThat(first.control().transport()).isEqualTo(new GatewayServer.Transport.Udp(new InetSocketAddress("127.0.0.1", 2945)));
        assertThat(first.control().mgcs()).singleElement().satisfies(m -> assertThat(m.getPort()).isEqualTo(2944));
        // SEC-1 defaults: strangers get nothing, the link is not declared protected, no provisioned inactivity timer
        assertThat(first.control().unknownPeers()).isEqualTo(UnknownPeers.DROP);
        assertThat(first.control().protectedLink()).isFalse();
        assertThat(first.control().inactivity()).isEmpty();
        assertThat(first.control().timers().longTimer()).isEqualTo(Duration.ofSeconds(30));
        assertThat(first.gateway().profile().name()).isEqualTo("ims_agw");
        assertThat(first.gateway().realms().get(0).firstPort()).isEqualTo(30000);
        GatewayCommand.Resolved again = GatewayCommand.resolve(GatewaySettings.empty(), dir.resolve("data"));
        assertThat(again.gateway().tlsDomains().get("default").domain().certificate().certificate())
                .isEqualTo(first.gateway().tlsDomains().get("default").domain().certificate().certificate());
    }

    @Test
    void everyKeyCanBeSet() throws Exception {
        GatewayCommand.Resolved resolved = resolve("""
                profile: trgw
                control: { address: 127.0.0.1, port: 3945, transport: udp, version: 2 }
                mgcs: ["127.0.0.1:4944", "127.0.0.1:5944"]
                realms: [ { name: core, address: 127.0.0.1, ports: 40000-40009, passiveSource: exact } ]
                tls:
                  default: b
                  domains:
                    - { name: a, provider: jdk }
                    - { name: b, provider: openssl, certificatePerStream: true, handshakeTimeoutSeconds: 3 }
                limits: { maxContexts: 5, pairBufferBytes: 65536, earlyDataBytes: 0, idleTimeoutSeconds: 60, connectTimeoutSeconds: 2, eventLoops: 2,
                          passiveWindowSeconds: 3 }
                """);
        assertThat(resolved.gateway().profile().name()).isEqualTo("trgw");
        assertThat(resolved.control().mgcs()).hasSize(2);
        assertThat(resolved.control().version()).isEqualTo(2);
        assertThat(resolved.gateway().defaultDomain()).isEqualTo("b");
        assertThat(resolved.gateway().tlsDomains().get("b").domain().certificatePerStream()).isTrue();
        assertThat(resolved.gateway().maxContexts()).isEqualTo(5);
        assertThat(resolved.bearer().pairBufferBytes()).isEqualTo(65536);
        assertThat(resolved.bearer().threads()).isEqualTo(2);
        assertThat(resolved.gateway().passiveSources()).isEqualTo(PassiveSourcePolicy.EXACT);
        assertThat(resolved.bearer().passiveWindow()).isEqualTo(Duration.ofSeconds(3));
        assertThat(resolve("profile: trgw\n").gateway().passiveSources()).as("the default").isEqualTo(PassiveSourcePolicy.ADDRESS);
        assertThat(resolve("profile: trgw\n").bearer().passiveWindow()).as("the default: the connect timeout").isEqualTo(Duration.ofSeconds(10));
        assertThat(resolve("limits: { passiveWindowSeconds: 0.3 }\n").bearer().passiveWindow()).as("fractions").isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void mistakesAreNamedByTheirKey() throws Exception {
        assertThat(resolve("profile: mrfp\n").gateway().profile().conference()).isTrue(); // Mp: conferences
        assertThatThrownBy(() -> resolve("profile: mgw\n")).hasMessageContaining("configuration: profile: unknown profile 'mgw'");
        assertThatThrownBy(() -> resolve("control: { port: 70000 }\n")).hasMessageContaining("configuration: control.port: 70000 is not a port");
        assertThatThrownBy(() -> resolve("mgcs: [\"localhost\"]\n")).hasMessageContaining("configuration: mgcs[0]: 'localhost' is not address:port");
        assertThatThrownBy(() -> resolve("realms: [ { ports: 5-x } ]\n")).hasMessageContaining("configuration: realms[0].ports: 'x' is not a number");
        assertThatThrownBy(() -> resolve("tls: { domains: [ { name: d, cipherSuites: [TLS_RSA_WITH_NULL_SHA256] } ] }\n"))
                .hasMessageContaining("configuration: tls.domains[0]:").hasMessageContaining("not allowed");
        assertThatThrownBy(() -> resolve("tls: { default: x }\n")).hasMessageContaining("configuration: tls.default: no TLS domain named x");
        assertThatThrownBy(() -> resolve("limits: { maxContexts: zero }\n")).hasMessageContaining("configuration: limits.maxContexts:");
        assertThatThrownBy(() -> resolve("limits: { eventLoops: -1 }\n")).hasMessageContaining("configuration: limits.eventLoops: -1 is negative");
        assertThatThrownBy(() -> resolve("limits: { passiveWindowSeconds: -0.5 }\n"))
                .hasMessageContaining("configuration: limits.passiveWindowSeconds: -0.5 is not a number of seconds from 0 to 86400");
        assertThatThrownBy(() -> resolve("limits: { passiveWindowSeconds: .nan }\n")).hasMessageContaining("configuration: limits.passiveWindowSeconds:");
        assertThatThrownBy(() -> resolve("limits: { passiveWindowSeconds: 1e12 }\n")).hasMessageContaining("configuration: limits.passiveWindowSeconds:");
        assertThatThrownBy(() -> resolve("limits: { passiveWindowSeconds: soon }\n")).hasMessageContaining("configuration: limits.passiveWindowSeconds:");
        assertThatThrownBy(() -> resolve("realms: [ { name: a, address: 127.0.0.1, ports: 40000-40009, passiveSource: port } ]\n"))
                .hasMessageContaining("configuration: realms[0].passiveSource: 'port' is none of [exact, address, latch]");
        assertThatThrownBy(() -> resolve("realms: [ { name: a, adress: 127.0.0.1 } ]\n")).hasMessageContaining("configuration: realms[0].adress: unknown key");
    }

    @Test
    void aBadConfigurationExitsWithTwoAndOneLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "control: { transport: sctp }\n");
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine();
        line.setErr(new PrintWriter(err));
        assertThat(line.execute("gateway", "--config", file.toString(), "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("configuration: control.transport: 'sctp': udp, tcp or tls");
    }

    @Test
    void theControlLinkIsConfigured() throws Exception {
        GatewayCommand.Resolved udp = resolve("""
                control: { longTimerMs: 2000, inactivityTimeoutMs: 1000, unknownPeers: { answer: 402, repliesPerSecond: 5 }, protectedNetwork: true }
                """);
        assertThat(udp.control().timers().longTimer()).isEqualTo(Duration.ofSeconds(2));
        assertThat(udp.control().timers().maxRetransmission()).isEqualTo(Duration.ofSeconds(2));
        assertThat(udp.control().inactivity()).contains(Duration.ofSeconds(1));
        assertThat(udp.control().unknownPeers()).isEqualTo(UnknownPeers.ANSWER_402);
        assertThat(udp.control().limits().unauthorizedRepliesPerSecond()).isEqualTo(5);
        assertThat(udp.control().protectedLink()).isTrue();

        String pin = "sha-256 " + "AB:".repeat(31) + "AB";
        GatewayCommand.Resolved tls = resolve("control: { transport: tls, tls: { mgcFingerprints: [\"" + pin + "\"] } }\n");
        assertThat(tls.control().protectedLink()).isTrue();
        assertThat(tls.control().transport()).isInstanceOfSatisfying(GatewayServer.Transport.Tcp.class,
                tcp -> assertThat(tcp.tls().orElseThrow().pins()).containsExactly(CertificatePin.parse(pin)));
        // the generated control certificate is kept in the data directory
        assertThat(dir.resolve("data/tls/control")).isDirectory();

        assertThatThrownBy(() -> resolve("control: { transport: tls }\n")).hasMessageContaining("configuration: control.tls: transport tls needs mgcFingerprints");
        assertThatThrownBy(() -> resolve("control: { transport: tls, tls: { mgcFingerprints: [\"md5 AB:CD\"] } }\n"))
                .hasMessageContaining("configuration: control.tls.mgcFingerprints[0]: hash function 'md5'");
        assertThatThrownBy(() -> resolve("control: { unknownPeers: { answer: reset } }\n")).hasMessageContaining("configuration: control.unknownPeers.answer");
        assertThatThrownBy(() -> resolve("control: { inactivityTimeoutMs: 5 }\n")).hasMessageContaining("configuration: control.inactivityTimeoutMs");
        assertThatThrownBy(() -> resolve("control: { tls: { mgcFingerprints: [\"" + pin + "\"] } }\n")).hasMessageContaining("control.tls: only with transport: tls");
    }
}
