package org.mediasec.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementTagListenerTest {

    @Test
    void oneFailingInvocationFailsTheMethodAndOnePassingOneProvesIt() {
        var passed = RequirementTagListener.Outcome.PASSED;
        var skipped = RequirementTagListener.Outcome.SKIPPED;
        var failed = RequirementTagListener.Outcome.FAILED;
        assertThat(RequirementTagListener.worse(passed, failed)).isEqualTo(failed);
        assertThat(RequirementTagListener.worse(skipped, passed)).isEqualTo(passed);
        assertThat(RequirementTagListener.worse(skipped, skipped)).isEqualTo(skipped);
    }

    @Test
    void requirementIdsLookLikeTheCatalogue() {
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("H248-1").matches()).isTrue();
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("TLS-12").matches()).isTrue();
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("jazzer").matches()).isFalse();
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("slow-1x").matches()).isFalse();
    }

    @Test
    void rendersOneSortedLinePerRequirementAndMethod() {
        String tsv = RequirementTagListener.render(List.of(
                new RequirementTagListener.Entry("org.x.BTest", "b", Set.of("TLS-4", "H248-1"), RequirementTagListener.Outcome.PASSED),
                new RequirementTagListener.Entry("org.x.ATest", "a", Set.of("H248-1"), RequirementTagListener.Outcome.FAILED)));
        List<String> lines = tsv.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("H248-1\t").endsWith("\torg.x.ATest\ta\tfailed");
        assertThat(lines.get(2)).startsWith("TLS-4\t").endsWith("\torg.x.BTest\tb\tpassed");
    }
}
