package org.mediasec.h248stack.association;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.transaction.ManualScheduler;

/** H.248.14 on a manual clock: silence fires ito once, traffic restarts it, the MGC arms and disarms it. */
class InactivityTimerTest {

    private final ManualScheduler clock = new ManualScheduler();
    private final List<Descriptor.ObservedEventsDescriptor> fired = new CopyOnWriteArrayList<>();

    private static Command.Modify events(long requestId, String item, String... parameters) {
        List<Events.EventParameter> values = java.util.Arrays.stream(parameters)
                .map(p -> (Events.EventParameter) new Events.EventOther(PropertyParameter.of(p.split("=")[0], p.split("=")[1]))).toList();
        return new Command.Modify(TerminationId.ROOT, List.of(new Descriptor.EventsDescriptor(OptionalLong.of(requestId),
                item == null ? List.of() : List.of(new Events.RequestedEvent(PackageItem.of(item.split("/")[0], item.split("/")[1]), values)))));
    }

    @Test
    void silenceFiresItoOnceAndTrafficRestartsIt() {
        InactivityTimer timer = new InactivityTimer(clock, Optional.of(Duration.ofSeconds(2)), fired::add);
        timer.heard();
        clock.advance(Duration.ofMillis(1_999));
        timer.heard(); // a message just in time
        clock.advance(Duration.ofMillis(1_999));
        assertThat(fired).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(fired).singleElement().satisfies(observed -> {
            assertThat(observed.requestId()).isEqualTo(InactivityTimer.PROVISIONED_REQUEST_ID);
            assertThat(observed.events()).singleElement().satisfies(event -> assertThat(event.name()).isEqualTo(InactivityTimer.INACTIVITY_TIMEOUT));
        });
        // not again until the MGC is heard: the Notify's fate decides
        clock.advance(Duration.ofMinutes(5));
        assertThat(fired).hasSize(1);
        timer.heard();
        clock.advance(Duration.ofSeconds(2));
        assertThat(fired).hasSize(2);
    }

    @Test
    void pausedItStaysSilent() {
        InactivityTimer timer = new InactivityTimer(clock, Optional.of(Duration.ofSeconds(1)), fired::add);
        timer.heard();
        timer.pause();
        clock.advance(Duration.ofMinutes(1));
        assertThat(fired).isEmpty();
        assertThat(clock.live()).isZero();
    }

    @Test
    void theMgcArmsItWithItsRequestIdAndMitInTensOfMilliseconds() {
        InactivityTimer timer = new InactivityTimer(clock, Optional.empty(), fired::add);
        timer.heard();
        clock.advance(Duration.ofHours(1));
        assertThat(fired).isEmpty(); // not provisioned, not armed

        assertThat(timer.apply(events(7, "it/ito", "mit=150"))).isEmpty();
        assertThat(timer.mit()).contains(Duration.ofMillis(1_500));
        clock.advance(Duration.ofMillis(1_500));
        assertThat(fired).singleElement().satisfies(observed -> assertThat(observed.requestId()).isEqualTo(7));

        // an Events descriptor without ito disarms it
        assertThat(timer.apply(events(8, null))).isEmpty();
        timer.heard();
        clock.advance(Duration.ofHours(1));
        assertThat(fired).hasSize(1);
        assertThat(timer.mit()).isEmpty();
    }

    @Test
    void withoutMitTheProvisionedValueApplies() {
        InactivityTimer timer = new InactivityTimer(clock, Optional.of(Duration.ofSeconds(3)), fired::add);
        assertThat(timer.apply(events(9, "IT/ITO"))).isEmpty();
        assertThat(timer.mit()).contains(Duration.ofSeconds(3));
    }

    @Test
    void anythingElseOnRootIsRefusedAndChangesNothing() {
        InactivityTimer timer = new InactivityTimer(clock, Optional.of(Duration.ofSeconds(3)), fired::add);
        assertThat(timer.apply(events(1, "g/cause")).map(ErrorDescriptor::code)).contains(440);
        assertThat(timer.apply(events(1, "it/xyz")).map(ErrorDescriptor::code)).contains(451);
        assertThat(timer.apply(events(1, "it/ito", "mit=0")).map(ErrorDescriptor::code)).contains(454);
        assertThat(timer.apply(events(1, "it/ito", "mit=ten")).map(ErrorDescriptor::code)).contains(454);
        assertThat(timer.apply(events(1, "it/ito", "xyz=1")).map(ErrorDescriptor::code)).contains(446);
        assertThat(timer.apply(new Command.Modify(TerminationId.ROOT, List.of(new Descriptor.ObservedEventsDescriptor(1, List.of()))))
                .map(ErrorDescriptor::code)).contains(444);
        assertThat(timer.mit()).contains(Duration.ofSeconds(3));
    }
}
