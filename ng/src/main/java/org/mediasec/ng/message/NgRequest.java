package org.mediasec.ng.message;

import java.util.Objects;

/**
 * An ng request, one type per command mediasec serves (rtpengine ng protocol: {@code ping}, {@code offer},
 * {@code answer}, {@code delete}, {@code query}, {@code list}, {@code statistics}) and {@link Unknown} for the
 * others ({@code start recording}, {@code play media}, ...), which a handler answers as it sees fit. Each
 * constructor checks the keys its command requires and fails with rtpengine's wording of the missing key
 * ({@code "No call-id in message"}), which the reader turns into the error reply.
 */
public sealed interface NgRequest {

    /** The command's name as rtpengine spells it (what {@code command} carries). */
    String command();

    NgParameters parameters();

    /** {@code ping}: answered {@code pong}; Kamailio pings each node and disables it for 60 s without one. */
    record Ping(NgParameters parameters) implements NgRequest {

        public Ping {
            Objects.requireNonNull(parameters);
        }

        @Override
        public String command() {
            return "ping";
        }
    }

    /** {@code offer}: requires {@code call-id}, {@code from-tag} and {@code sdp}; answered with the rewritten SDP. */
    record Offer(NgParameters parameters) implements NgRequest {

        public Offer {
            RequiredKeys.callId(parameters);
            RequiredKeys.fromTag(parameters);
            RequiredKeys.sdp(parameters);
        }

        @Override
        public String command() {
            return "offer";
        }

        public String callId() {
            return parameters.callId().orElseThrow();
        }

        public String fromTag() {
            return parameters.fromTag().orElseThrow();
        }

        public String sdp() {
            return parameters.sdp().orElseThrow();
        }
    }

    /** {@code answer}: as {@link Offer}, and {@code to-tag} as well. */
    record Answer(NgParameters parameters) implements NgRequest {

        public Answer {
            RequiredKeys.callId(parameters);
            RequiredKeys.fromTag(parameters);
            RequiredKeys.toTag(parameters);
            RequiredKeys.sdp(parameters);
        }

        @Override
        public String command() {
            return "answer";
        }

        public String callId() {
            return parameters.callId().orElseThrow();
        }

        public String fromTag() {
            return parameters.fromTag().orElseThrow();
        }

        public String toTag() {
            return parameters.toTag().orElseThrow();
        }

        public String sdp() {
            return parameters.sdp().orElseThrow();
        }
    }

    /**
     * {@code delete}: requires {@code call-id}; {@code from-tag}, {@code to-tag} and {@code via-branch} narrow it to
     * a branch, {@code delete-delay} postpones it, the {@code fatal} flag makes an unknown call an error rather than
     * a warning.
     */
    record Delete(NgParameters parameters) implements NgRequest {

        public Delete {
            RequiredKeys.callId(parameters);
        }

        @Override
        public String command() {
            return "delete";
        }

        public String callId() {
            return parameters.callId().orElseThrow();
        }

        /** rtpengine's {@code fatal} flag. */
        public boolean fatal() {
            return parameters.hasFlag("fatal");
        }
    }

    /** {@code query}: requires {@code call-id}; answered with the call's tags, medias and totals. */
    record Query(NgParameters parameters) implements NgRequest {

        public Query {
            RequiredKeys.callId(parameters);
        }

        @Override
        public String command() {
            return "query";
        }

        public String callId() {
            return parameters.callId().orElseThrow();
        }
    }

    /** {@code list}: answered with at most {@link #limit()} call IDs under {@code calls}. */
    record ListCalls(NgParameters parameters) implements NgRequest {

        /** rtpengine's default for {@code limit}. */
        public static final int DEFAULT_LIMIT = 32;

        public ListCalls {
            Objects.requireNonNull(parameters);
        }

        @Override
        public String command() {
            return "list";
        }

        public int limit() {
            return parameters.limit().orElse(DEFAULT_LIMIT);
        }
    }

    /** {@code statistics}: answered with a {@code statistics} dictionary. */
    record Statistics(NgParameters parameters) implements NgRequest {

        public Statistics {
            Objects.requireNonNull(parameters);
        }

        @Override
        public String command() {
            return "statistics";
        }
    }

    /** Any other command, with its name as received. */
    record Unknown(String command, NgParameters parameters) implements NgRequest {

        public Unknown {
            Objects.requireNonNull(parameters);
            if (NgCommands.known(command)) {
                throw new IllegalArgumentException("'" + command + "' is a known command");
            }
        }
    }
}
