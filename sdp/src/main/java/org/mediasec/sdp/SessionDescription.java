package org.mediasec.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An SDP session description (RFC 8866): the session-level lines in order, then the media descriptions. Every line
 * is kept as received, so {@code SdpParser.parse(d.write()) equals d} and a rewrite changes only what it names.
 */
public record SessionDescription(List<SdpLine> sessionLines, List<MediaDescription> media) {

    public SessionDescription {
        sessionLines = List.copyOf(sessionLines);
        media = List.copyOf(media);
    }

    public Optional<String> origin() {
        return first('o');
    }

    public Optional<String> sessionName() {
        return first('s');
    }

    /** The session-level {@code c=}. */
    public Optional<String> connectionData() {
        return first('c');
    }

    /** The connection data that applies to a media description: its own c=, or the session's (RFC 8866 5.7). */
    public Optional<String> connectionData(MediaDescription description) {
        return description.connectionData().or(this::connectionData);
    }

    public List<String> attributes(String name) {
        return Attributes.values(sessionLines, name);
    }

    public Optional<String> attribute(String name) {
        return Attributes.first(sessionLines, name);
    }

    /** Session-level {@code a=setup} (RFC 4145 allows it at both levels; media level wins). */
    public Optional<Setup> setup() {
        return Attributes.setup(sessionLines);
    }

    public List<Fingerprint> fingerprints() {
        return Attributes.fingerprints(sessionLines);
    }

    /** The fingerprints that apply to a media description: its own, else the session-level ones (RFC 8122 5). */
    public List<Fingerprint> fingerprints(MediaDescription description) {
        List<Fingerprint> own = description.fingerprints();
        return own.isEmpty() ? fingerprints() : own;
    }

    /** The direction of a stream: its own attribute, else the session's, else sendrecv (RFC 8866 6.7). */
    public Direction direction(MediaDescription description) {
        return description.typedDirection().or(() -> sessionLines.stream().filter(SdpLine::isAttribute).map(SdpLine::value)
                .flatMap(value -> Direction.of(value).stream()).findFirst()).orElse(Direction.SENDRECV);
    }

    private Optional<String> first(char type) {
        return sessionLines.stream().filter(line -> line.type() == type).map(SdpLine::value).findFirst();
    }

    // ---- rewriting ------------------------------------------------------------------------------------------

    public SessionDescription withMedia(int index, MediaDescription description) {
        List<MediaDescription> out = new ArrayList<>(media);
        out.set(index, description);
        return new SessionDescription(sessionLines, out);
    }

    public SessionDescription withSessionLines(List<SdpLine> lines) {
        return new SessionDescription(lines, media);
    }

    /** Sets the session-level {@code c=} in place, or adds it where RFC 8866 puts it (before b= and t=). */
    public SessionDescription withConnectionData(String connectionData) {
        List<SdpLine> out = new ArrayList<>(sessionLines);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).type() == 'c') {
                out.set(i, new SdpLine('c', connectionData));
                return new SessionDescription(out, media);
            }
        }
        int at = 0;
        while (at < out.size() && "vosiuep".indexOf(out.get(at).type()) >= 0) {
            at++;
        }
        out.add(at, new SdpLine('c', connectionData));
        return new SessionDescription(out, media);
    }

    public SessionDescription withoutAttribute(String name) {
        return new SessionDescription(Attributes.without(sessionLines, name), media);
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** The description with CRLF line ends (RFC 8866 5). */
    public String write() {
        return write("\r\n");
    }

    /** With the given line end ({@code "\n"} inside H.248 Local/Remote descriptors). */
    public String write(String lineEnd) {
        StringBuilder out = new StringBuilder(256);
        for (SdpLine line : sessionLines) {
            out.append(line.type()).append('=').append(line.value()).append(lineEnd);
        }
        for (MediaDescription description : media) {
            out.append("m=").append(description.mediaLine().value()).append(lineEnd);
            for (SdpLine line : description.lines()) {
                out.append(line.type()).append('=').append(line.value()).append(lineEnd);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return write("\n");
    }
}
