package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.alg.NatTraversalPolicy;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.gateway.GatewayServer;
import picocli.CommandLine;

/** The controller's configuration: the embedded default finds the gateway's, and one clear message with exit code 2 per mistake. */
class ControllerCommandTest {

    @TempDir
    Path dir;

    private ControllerCommand.Resolved resolve(String yaml) throws Exception {
        Path file = dir.resolve("controller.yaml");
        Files.writeString(file, yaml);
        return ControllerCommand.resolve(ControllerCommand.read(file));
    }

    @Test
    void theEmbeddedDefaultIsTheOneTheGatewaysDefaultRegistersWith() throws Exception {
        ControllerCommand.Resolved controller = ControllerCommand.resolve(ControllerSettings.empty());
        GatewayCommand.Resolved gateway = GatewayCommand.resolve(GatewaySettings.empty(), dir.resolve("data"));
        assertThat(gateway.control().mgcs()).containsExactly(controller.h248());
        assertThat(gateway.control().transport()).isInstanceOfSatisfying(GatewayServer.Transport.Udp.class, udp ->
                assertThat(controller.gateways()).singleElement().satisfies(peer -> assertThat(peer.control()).isEqualTo(udp.local())));
        assertThat(controller.ng().udp().getPort()).isEqualTo(2223);
        assertThat(controller.ng().udp().getAddress().isLoopbackAddress()).isTrue();
        assertThat(controller.role()).isEqualTo("ims-alg");
        assertThat(controller.metrics().orElseThrow().getPort()).isNotEqualTo(9464); // the gateway's
    }

    @Test
    void everyKeyCanBeSet() throws Exception {
        ControllerCommand.Resolved resolved = resolve("""
                role: ibcf
                realm: border
                h248: { address: 127.0.0.1, port: 3944, version: 2 }
                gateways: [ { name: trgw1, address: "127.0.0.1:3945", realm: border } ]
                ng: { udp: "127.0.0.1:3223", tcp: "127.0.0.1:3223", allowedSources: [127.0.0.1], softInFlight: 300, overloadDelayMs: 150 }
                calls: { accessInterfaces: [pub], coreInterfaces: [priv], defaultDirection: [priv, pub], e2aeByDefault: true,
                         refuseUnanchored: true, maxCalls: 5, maxDeleteDelaySeconds: 10 }
                metrics: { port: 0 }
                natTraversal: { mode: none, delayOtherLeg: false, unroutable: [10.0.0.0/8],
                                accessNetworks: [ { name: wlan, from: [198.51.100.0/24, "2001:db8::/32"], mode: merge } ] }
                """);
        assertThat(resolved.ng().softInFlight()).isEqualTo(300);
        assertThat(resolved.ng().overloadDelay()).isEqualTo(Duration.ofMillis(150));
        assertThat(resolved.nat().defaultMode()).isEqualTo(NatTraversalPolicy.Mode.NONE);
        assertThat(resolved.nat().delayOtherLeg()).isFalse();
        assertThat(resolved.nat().unroutable()).hasSize(1);
        assertThat(resolved.nat().accessNetworks()).singleElement().satisfies(network -> {
            assertThat(network.name()).isEqualTo("wlan");
            assertThat(network.from()).hasSize(2);
            assertThat(network.mode()).isEqualTo(NatTraversalPolicy.Mode.MERGE);
        });
        assertThat(ControllerCommand.resolve(ControllerSettings.empty()).nat()).isEqualTo(NatTraversalPolicy.DEFAULT);
        assertThat(resolved.role()).isEqualTo("ibcf");
        assertThat(resolved.version()).isEqualTo(2);
        assertThat(resolved.ng().tcp()).isPresent();
        assertThat(resolved.ng().allowedSources()).hasSize(1);
        assertThat(resolved.calls().defaultDirection()).containsExactly("priv", "pub");
        assertThat(resolved.calls().refuseUnanchored()).isTrue();
        assertThat(resolved.calls().maxCalls()).isEqualTo(5);
        assertThat(resolved.metrics()).isEmpty();
    }

    @Test
    void mistakesAreNamedByTheirKey() {
        assertThatThrownBy(() -> resolve("role: p-cscf\n")).hasMessage("configuration: role: 'p-cscf': ims-alg or ibcf");
        assertThatThrownBy(() -> resolve("h248: { port: 0 }\n")).hasMessageContaining("configuration: h248.port: 0 is not a port");
        assertThatThrownBy(() -> resolve("gateways: [ { name: a } ]\n")).hasMessageContaining("configuration: gateways[0].address:");
        assertThatThrownBy(() -> resolve("gateways: [ { name: a, address: \"127.0.0.1:1\" }, { name: a, address: \"127.0.0.1:2\" } ]\n"))
                .hasMessageContaining("configuration: gateways[1].name: gateway a is named twice");
        assertThatThrownBy(() -> resolve("realm: x\ngateways: [ { name: a, address: \"127.0.0.1:1\", realm: access } ]\n")).hasMessageContaining("configuration: realm: no gateway serves realm x");
        assertThatThrownBy(() -> resolve("ng: { udp: localhost }\n")).hasMessageContaining("configuration: ng.udp:");
        assertThatThrownBy(() -> resolve("ng: { allowedSources: [proxy.example] }\n")).hasMessageContaining("configuration: ng.allowedSources[0]:");
        assertThatThrownBy(() -> resolve("calls: { defaultDirection: [access] }\n")).hasMessageContaining("configuration: calls:");
        assertThatThrownBy(() -> resolve("calls: { accessInterfaces: [a], coreInterfaces: [a] }\n")).hasMessageContaining("both access and core");
        assertThatThrownBy(() -> resolve("ng: { upd: \"127.0.0.1:1\" }\n")).hasMessageContaining("configuration: ng.upd: unknown key");
        assertThatThrownBy(() -> resolve("ng: { softInFlight: 5000 }\n")).hasMessageContaining("configuration: ng.softInFlight: must be 1 to 4096");
        assertThatThrownBy(() -> resolve("ng: { overloadDelayMs: 0 }\n")).hasMessageContaining("configuration: ng.overloadDelayMs:");
        assertThatThrownBy(() -> resolve("natTraversal: { mode: stun }\n")).hasMessageContaining("configuration: natTraversal.mode: 'stun': latch, merge or none");
        assertThatThrownBy(() -> resolve("natTraversal: { accessNetworks: [ { name: w, from: [wlan.example], mode: merge } ] }\n"))
                .hasMessageContaining("configuration: natTraversal.accessNetworks[0].from[0]:");
    }

    @Test
    void aBadConfigurationExitsWithTwoAndOneLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "h248: { version: 4 }\n");
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine();
        line.setErr(new PrintWriter(err));
        assertThat(line.execute("controller", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("configuration: h248.version: 4: H.248 versions 1 to 3");
    }

    @Test
    void theRoleOptionOverridesTheFile() throws Exception {
        Path file = dir.resolve("role.yaml");
        Files.writeString(file, "gateways: [ { name: t, address: \"127.0.0.1:3945\", realm: border } ]\n");
        CommandLine line = Main.commandLine();
        StringWriter err = new StringWriter();
        line.setErr(new PrintWriter(err));
        // ibcf: the realm defaults to border, served by the file's gateway; a bad role is refused before anything starts
        assertThat(line.execute("controller", "--config", file.toString(), "--role", "mgcf")).isEqualTo(2);
        assertThat(err.toString()).contains("configuration: role: 'mgcf'");
    }
}
