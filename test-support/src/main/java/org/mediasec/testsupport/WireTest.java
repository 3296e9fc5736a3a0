package org.mediasec.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that proves what it proves on the wire: the code under test is reached through real sockets (127.0.0.1)
 * or a real process (a peer such as openssl, tshark or Erlang megaco, or a {@code mediasec} process of ours), not
 * by calling it in the test's own thread. The conformance report counts a requirement as <em>covered</em> only
 * when one of its passing tests carries this marker; passing tests without it show as <em>unit only</em>.
 *
 * <p>It is JUnit's tag {@value #TAG} under a name of ours, so {@code -Dgroups=wire} runs only these tests. On the
 * method only: a class-level marker would also claim the unit tests that join the class later.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Tag(WireTest.TAG)
public @interface WireTest {

    /** The JUnit tag the marker stands for. */
    String TAG = "wire";
}
