package org.mediasec.kms.admin;

import java.util.List;

/**
 * The store's answer to an {@link AdminRequest}: a status, a one-line message, and data lines (the user list). The
 * status doubles as the command's exit code.
 */
public record AdminReply(Status status, String message, List<String> lines) {

    public enum Status {
        /** Done. */
        OK(0, "ok"),
        /** Understood and refused: a conflict, no such user, a store failure. */
        REFUSED(1, "refused"),
        /** Not understood: the request does not parse or breaks a rule of the store. */
        BAD_REQUEST(2, "bad-request");

        private final int exitCode;
        private final String token;

        Status(int exitCode, String token) {
            this.exitCode = exitCode;
            this.token = token;
        }

        public int exitCode() {
            return exitCode;
        }

        String token() {
            return token;
        }
    }

    public AdminReply {
        message = AdminCodec.printable(message);
        lines = lines.stream().map(AdminCodec::printable).toList();
    }

    public static AdminReply ok(String message, List<String> lines) {
        return new AdminReply(Status.OK, message, lines);
    }

    public static AdminReply ok(String message) {
        return ok(message, List.of());
    }

    public static AdminReply refused(String message) {
        return new AdminReply(Status.REFUSED, message, List.of());
    }

    public static AdminReply badRequest(String message) {
        return new AdminReply(Status.BAD_REQUEST, message, List.of());
    }
}
