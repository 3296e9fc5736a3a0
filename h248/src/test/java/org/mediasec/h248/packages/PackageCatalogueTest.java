package org.mediasec.h248.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;

class PackageCatalogueTest {

    private final PackageCatalogue catalogue = PackageCatalogue.standard();

    private static PropertyParameter property(String name, String value) {
        return PropertyParameter.of(name, value);
    }

    private static ErrorCode code(Optional<ItemRejection> rejection) {
        return rejection.orElseThrow(() -> new AssertionError("accepted")).code();
    }

    @Test
    @Tag("H248-5")
    void theTcpAndTlsPackagesCarryWhatTheProceduresNeed() {
        String tls = TcpTlsPackageNames.TLS_PACKAGE;
        String tcp = TcpTlsPackageNames.TCP_PACKAGE;
        assertThat(catalogue.checkSignal(tcp + "/" + TcpTlsPackageNames.TCP_ESTABLISH_SIGNAL, List.of())).isEmpty();
        assertThat(catalogue.checkSignal(tls + "/" + TcpTlsPackageNames.TLS_ESTABLISH_SIGNAL, List.of())).isEmpty();
        assertThat(catalogue.checkEvent(tcp + "/" + TcpTlsPackageNames.TCP_FAILURE_EVENT, List.of())).isEmpty();
        assertThat(catalogue.checkEvent(tls + "/" + TcpTlsPackageNames.TLS_ESTABLISHED_EVENT, List.of())).isEmpty();
        assertThat(catalogue.checkProperty(property(tls + "/" + TcpTlsPackageNames.TLS_ROLE_PROPERTY, "Server"), PackageDefinition.Descriptor.LOCAL_CONTROL)).isEmpty();
        assertThat(catalogue.checkProperty(property(tls + "/" + TcpTlsPackageNames.TLS_DOMAIN_PROPERTY, "access"), PackageDefinition.Descriptor.LOCAL_CONTROL)).isEmpty();
        assertThat(catalogue.checkProperty(property(tls + "/" + TcpTlsPackageNames.TLS_PSK_PROPERTY, "00112233445566778899aabbccddeeff"), PackageDefinition.Descriptor.LOCAL_CONTROL)).isEmpty();
        assertThat(catalogue.checkProperty(property("ipnapt/latch", "ON"), PackageDefinition.Descriptor.LOCAL_CONTROL)).isEmpty();
    }

    @Test
    @Tag("H248-6")
    void everyRejectionHasItsH2488Code() {
        PackageDefinition.Descriptor lc = PackageDefinition.Descriptor.LOCAL_CONTROL;
        assertThat(code(catalogue.checkProperty(property("nope/x", "1"), lc))).isEqualTo(ErrorCode.UNSUPPORTED_PACKAGE);
        assertThat(code(catalogue.checkProperty(property("nt/nope", "1"), lc))).isEqualTo(ErrorCode.NO_SUCH_PROPERTY);
        assertThat(code(catalogue.checkProperty(property("nt/jit", "forty"), lc))).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE);
        assertThat(code(catalogue.checkProperty(property("ds/dscp", "64"), lc))).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE);
        assertThat(code(catalogue.checkProperty(property("root/maxNumberOfContexts", "5"), PackageDefinition.Descriptor.TERMINATION_STATE)))
                .isEqualTo(ErrorCode.ILLEGAL_WRITE_OR_READ_ONLY_PROPERTY);
        assertThat(code(catalogue.checkProperty(property("ipdc/realm", "core"), lc))).isEqualTo(ErrorCode.PROPERTY_ILLEGAL_IN_DESCRIPTOR);
        assertThat(code(catalogue.checkEvent("nope/e", List.of()))).isEqualTo(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_DETECT_EVENT);
        assertThat(code(catalogue.checkEvent("nt/nope", List.of()))).isEqualTo(ErrorCode.NO_SUCH_EVENT);
        assertThat(code(catalogue.checkEvent("nt/qualert", List.of(property("bogus", "1"))))).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER);
        assertThat(code(catalogue.checkEvent("nt/qualert", List.of(property("th", "100"))))).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE);
        assertThat(code(catalogue.checkSignal("nope/s", List.of()))).isEqualTo(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL);
        assertThat(code(catalogue.checkSignal("g/nope", List.of()))).isEqualTo(ErrorCode.NO_SUCH_SIGNAL);
        assertThat(code(catalogue.checkStatistic("nt/nope"))).isEqualTo(ErrorCode.NO_SUCH_STATISTIC);
        assertThat(catalogue.checkProperty(property("nt/jit", "forty"), lc).orElseThrow().reason()).contains("forty");
    }

    @Test
    void mandatoryParametersAreRequired() {
        PackageCatalogue withMandatory = PackageCatalogue.of(List.of(new PackageDefinition("x", 0x7000, 1, Optional.empty(), List.of(),
                List.of(PackageDefinition.Item.withParameters("e", 1, new PackageDefinition.Parameter("p", 1, new ValueType.StringType(), true))),
                List.of(), List.of(), true, "test")));
        assertThat(code(withMandatory.checkEvent("x/e", List.of()))).isEqualTo(ErrorCode.MISSING_PARAMETER);
        assertThat(withMandatory.checkEvent("x/e", List.of(property("p", "v")))).isEmpty();
    }

    @Test
    void extendedPackagesSeeTheirBaseItemsAndNamesAreCaseInsensitive() {
        assertThat(catalogue.checkStatistic("rtp/os")).isEmpty(); // os is nt's; rtp extends nt
        assertThat(catalogue.checkStatistic("RTP/PS")).isEmpty();
        assertThat(catalogue.checkEvent("G/Cause", List.of(property("generalcause", "nr")))).isEmpty();
        assertThat(catalogue.checkStatistic("nt/*")).isEmpty();
    }

    @Test
    void valuesOfEveryShapeAreChecked() {
        PackageDefinition.Descriptor lc = PackageDefinition.Descriptor.LOCAL_CONTROL;
        assertThat(catalogue.checkProperty(new PropertyParameter("ds/dscp", new PropertyValue.Range("0", "63")), lc)).isEmpty();
        assertThat(code(catalogue.checkProperty(new PropertyParameter("ds/dscp", new PropertyValue.Alternatives(List.of("1", "99"))), lc)))
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE);
    }

    @Test
    void aProfileHoldsASubset() {
        PackageCatalogue iq = catalogue.only("g", "root", "nt", TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TLS_PACKAGE);
        assertThat(code(iq.checkProperty(property("ds/dscp", "46"), PackageDefinition.Descriptor.LOCAL_CONTROL))).isEqualTo(ErrorCode.UNSUPPORTED_PACKAGE);
        assertThat(iq.lookup("nt")).isPresent();
    }

    @Test
    void theUnverifiedTcpTlsNamesAreSpelledOnlyInTheirMappingClass() throws IOException {
        Path sources = Path.of(System.getProperty("mediasec.root", "..")).resolve("h248/src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("TcpTlsPackageNames.java")).toList()) {
                String text = Files.readString(file);
                assertThat(text).as(file.toString()).doesNotContain("\"" + TcpTlsPackageNames.TCP_PACKAGE + "\"").doesNotContain("\"" + TcpTlsPackageNames.TLS_PACKAGE + "\"");
            }
        }
    }

    @Test
    void theDocumentIsCurrent() throws IOException {
        Path document = Path.of(System.getProperty("mediasec.root", "..")).resolve("docs/h248-packages.md");
        String expected = PackageDocument.render(catalogue);
        if (!Files.exists(document) || Boolean.getBoolean("mediasec.writeDocs")) {
            Files.writeString(document, expected);
        }
        assertThat(Files.readString(document)).as("docs/h248-packages.md: regenerate with -Dmediasec.writeDocs=true").isEqualTo(expected);
    }
}
