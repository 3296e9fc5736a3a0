package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings records read from YAML: every kind of value, and a clear error with the key for every bad input. */
class YamlRecordsTest {

    @TempDir
    Path dir;

    private static GatewaySettings gateway(String yaml) throws GatewayCommand.ConfigError {
        return YamlRecords.read(yaml, GatewaySettings.class);
    }

    @Test
    void everyKindOfValueIsBound() throws Exception {
        GatewaySettings settings = gateway("""
                profile: mrfp
                control: { port: 2945, protectedNetwork: true }
                mgcs: ["127.0.0.1:2944", "127.0.0.2:2944"]
                realms:
                  - name: access
                    address: 127.0.0.1
                    ports: 30000-30999
                tls:
                  default: d
                  domains: [ { name: d, resumption: false } ]
                limits: { passiveWindowSeconds: 2.5, eventLoops: 3 }
                metrics: ~
                """);
        assertThat(settings.profile()).isEqualTo("mrfp");
        assertThat(settings.control().port()).isEqualTo(2945);
        assertThat(settings.control().protectedNetwork()).isTrue();
        assertThat(settings.control().address()).as("an absent key").isNull();
        assertThat(settings.mgcs()).containsExactly("127.0.0.1:2944", "127.0.0.2:2944");
        assertThat(settings.realms()).containsExactly(new GatewaySettings.Realm("access", "127.0.0.1", "30000-30999", null, null));
        assertThat(settings.tls().defaultDomain()).as("a key named apart from its component").isEqualTo("d");
        assertThat(settings.tls().domains().get(0).resumption()).isFalse();
        assertThat(settings.limits().passiveWindowSeconds()).isEqualTo(2.5);
        assertThat(settings.limits().eventLoops()).isEqualTo(3);
        assertThat(settings.metrics()).isNull();
    }

    @Test
    void quotedNumbersAndBooleansAreTakenAsTheBindingBeforeTookThem() throws Exception {
        GatewaySettings settings = gateway("control: { port: \"2945\", protectedNetwork: \"true\" }\nlimits: { passiveWindowSeconds: \"0.5\" }\nprofile: 123\n");
        assertThat(settings.control().port()).isEqualTo(2945);
        assertThat(settings.control().protectedNetwork()).isTrue();
        assertThat(settings.limits().passiveWindowSeconds()).isEqualTo(0.5);
        assertThat(settings.profile()).as("a scalar where a text is expected").isEqualTo("123");
    }

    @Test
    void anEmptyFileOrANullDocumentIsNoSettings() throws Exception {
        assertThat(gateway("")).isNull();
        assertThat(gateway("~\n")).isNull();
        assertThat(gateway("# only a comment\n")).isNull();
    }

    @Test
    void aFileIsReadAndAMissingOneIsNamed() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "profile: trgw\n");
        assertThat(YamlRecords.read(file, GatewaySettings.class).profile()).isEqualTo("trgw");
        assertThatThrownBy(() -> YamlRecords.read(dir.resolve("absent.yaml"), GatewaySettings.class))
                .isInstanceOf(GatewayCommand.ConfigError.class).hasMessageContaining("configuration: " + dir.resolve("absent.yaml"));
    }

    @Test
    void everyBadInputIsAnErrorThatNamesTheKeyAndTheLine() {
        List<List<String>> cases = List.of(
                List.of("realms: [ { name: a, adress: 127.0.0.1 } ]\n", "configuration: realms[0].adress: unknown key (known: [name, address, ports, allowRemote, passiveSource]) (line 1)"),
                List.of("profil: mrfp\n", "configuration: profil: unknown key"),
                List.of("profile: mrfp\nprofile: trgw\n", "configuration: profile: given twice (line 2)"),
                List.of("limits: { maxContexts: zero }\n", "configuration: limits.maxContexts: expected a whole number, found a text (line 1)"),
                List.of("limits: { maxContexts: 1.5 }\n", "configuration: limits.maxContexts: expected a whole number, found a number"),
                List.of("limits: { maxContexts: 99999999999 }\n", "configuration: limits.maxContexts: 99999999999 is out of range"),
                List.of("limits: { maxContexts: \"99999999999\" }\n", "configuration: limits.maxContexts: 99999999999 is out of range"),
                List.of("limits: { passiveWindowSeconds: soon }\n", "configuration: limits.passiveWindowSeconds: expected a number, found a text"),
                List.of("control: { protectedNetwork: maybe }\n", "configuration: control.protectedNetwork: expected true or false, found a text"),
                List.of("control: 5\n", "configuration: control: expected keys and values, found a number"),
                List.of("mgcs: \"127.0.0.1:2944\"\n", "configuration: mgcs: expected a list, found a text"),
                List.of("mgcs: [ [a] ]\n", "configuration: mgcs[0]: expected a text, found a list"),
                List.of("mgcs:\n  - a\n  - ~\n", "configuration: mgcs[1]: an empty item (line 3)"),
                List.of("- a\n", "configuration: (top): expected keys and values, found a list"),
                List.of("realms: [ { name: &n a }, { name: *n } ]\n", "configuration: realms[1].name: alias *n (line 1): aliases are not supported"),
                List.of("profile: mrfp\n---\nprofile: trgw\n", "configuration: (top): a second document (line 3); one document only"),
                List.of("control: { port: 1\n", "configuration: control"),
                List.of("profile: [\n", "configuration: profile"),
                List.of("profile: b: c\n", "configuration: (top): mapping values are not allowed here (line 1)"));
        for (List<String> bad : cases) {
            assertThat(catchThrowable(() -> gateway(bad.get(0)))).as(bad.get(0)).isInstanceOf(GatewayCommand.ConfigError.class).hasMessageContaining(bad.get(1));
        }
    }

    @Test
    void nestingBeyondAnyConfigurationIsRefusedNotFollowed() {
        String deep = "mgcs: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n";
        assertThatThrownBy(() -> gateway(deep)).isInstanceOf(GatewayCommand.ConfigError.class).hasMessageContaining("configuration: mgcs");
        String deepMaps = "control: " + "{a: ".repeat(5_000) + "b" + "}".repeat(5_000) + "\n";
        assertThatThrownBy(() -> gateway(deepMaps)).isInstanceOf(GatewayCommand.ConfigError.class).hasMessageContaining("configuration: control");
    }

    @Test
    void theControllerSettingsReadToo() throws Exception {
        ControllerSettings settings = YamlRecords.read("role: ibcf\nng: { udp: \"127.0.0.1:2223\", softInFlight: 100 }\nmetrics: { port: 9 }\n", ControllerSettings.class);
        assertThat(settings.role()).isEqualTo("ibcf");
        assertThat(settings.ng().softInFlight()).isEqualTo(100);
        assertThat(settings.metrics()).isEqualTo(new GatewaySettings.Metrics(null, 9));
        assertThatThrownBy(() -> YamlRecords.read("ng: { upd: x }\n", ControllerSettings.class)).hasMessageContaining("configuration: ng.upd: unknown key");
    }
}
