package org.mediasec.bearer;

/** Receives a relay pair's events, on the pair's event loop: must not block. */
@FunctionalInterface
public interface BearerListener {

    void onEvent(BearerEvent event);
}
