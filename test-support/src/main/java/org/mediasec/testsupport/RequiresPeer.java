package org.mediasec.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs a real peer program (openssl, escript with megaco, tshark). Where the command is missing the
 * test is skipped with a message naming the Debian package to install; in CI ({@code CI=true}) it fails instead,
 * because CI installs every peer and must never skip.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(RequiresPeers.class)
@ExtendWith(PeerCondition.class)
public @interface RequiresPeer {

    /** The command that must be on PATH, e.g. {@code escript}. */
    String command();

    /** The Debian package that provides it, e.g. {@code erlang-megaco}. */
    String debianPackage();
}
