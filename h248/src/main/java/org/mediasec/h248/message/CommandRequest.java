package org.mediasec.h248.message;

/**
 * A command in an action with its flags (Annex B: {@code ["O-"] ["W-"] commandRequest}): optional (the
 * transaction goes on if it fails, H.248.1 8.2.2) and wildcard response (one reply for a wildcarded ID, 6.2).
 */
public record CommandRequest(boolean optional, boolean wildcardResponse, Command command) {

    public static CommandRequest of(Command command) {
        return new CommandRequest(false, false, command);
    }
}
