package org.mediasec.sdp;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One media description: its m-line and the lines after it (i, c, b, k, a), in order. Typed getters read the
 * attributes the gateway acts on; {@code with…} methods return a rewritten copy in which every other line is
 * unchanged (CTRL-1..6: the controller rewrites transport, port, address, fingerprint, setup, path).
 */
public record MediaDescription(MediaLine mediaLine, List<SdpLine> lines) {
    /** Compiled once (String.split compiles a pattern of more than one character each call). */
    private static final Pattern SPACES = Pattern.compile(" +");


    public MediaDescription {
        lines = List.copyOf(lines);
    }

    public Transport transport() {
        return mediaLine.transport();
    }

    /** The media-level {@code c=} value, e.g. {@code IN IP4 198.51.100.7}. */
    public Optional<String> connectionData() {
        return lines.stream().filter(line -> line.type() == 'c').map(SdpLine::value).findFirst();
    }

    public List<String> attributes(String name) {
        return Attributes.values(lines, name);
    }

    public Optional<String> attribute(String name) {
        return Attributes.first(lines, name);
    }

    public boolean hasAttribute(String name) {
        return Attributes.has(lines, name);
    }

    public Optional<Setup> setup() {
        return Attributes.setup(lines);
    }

    public Optional<ConnectionAttribute> connection() {
        return Attributes.connection(lines);
    }

    /** The fingerprints (several allowed, RFC 8122 5); {@code a=fingerprint:$} (H.248 CHOOSE) is not one. */
    public List<Fingerprint> fingerprints() {
        return Attributes.fingerprints(lines);
    }

    /** {@code a=fingerprint:$}: the MGC asks the MG for its own fingerprint (H.248). */
    public boolean fingerprintRequested() {
        return Attributes.values(lines, "fingerprint").stream().anyMatch(value -> value.strip().equals("$"));
    }

    public List<KeyManagement> keyManagement() {
        return Attributes.keyManagement(lines);
    }

    /** {@code a=path} (RFC 4975 9): the MSRP URIs, in order. */
    public List<String> path() {
        return Attributes.first(lines, "path").map(value -> Arrays.asList(SPACES.split(value.strip()))).orElse(List.of());
    }

    public List<String> acceptTypes() {
        return Attributes.first(lines, "accept-types").map(value -> Arrays.asList(SPACES.split(value.strip()))).orElse(List.of());
    }

    public List<String> acceptWrappedTypes() {
        return Attributes.first(lines, "accept-wrapped-types").map(value -> Arrays.asList(SPACES.split(value.strip()))).orElse(List.of());
    }

    public Optional<Long> maxSize() {
        return Attributes.first(lines, "max-size").map(value -> Long.parseLong(value.strip()));
    }

    /** {@code a=msrp-cema} (RFC 6714): the endpoint connects to the c=/m= address and matches sessions by id. */
    public boolean msrpCema() {
        return Attributes.has(lines, "msrp-cema");
    }

    /** {@code a=3ge2ae} (TS 24.229): requested by the UE's offer, applied in the IMS-ALG's answer. */
    public Optional<String> e2aeIndicator() {
        return Attributes.first(lines, "3ge2ae").map(String::strip);
    }

    /** {@code a=floorctrl} (RFC 8856 5): c-only, s-only, c-s. */
    public List<String> floorControl() {
        return Attributes.first(lines, "floorctrl").map(value -> Arrays.asList(SPACES.split(value.strip()))).orElse(List.of());
    }

    public Optional<String> conferenceId() {
        return Attributes.first(lines, "confid").map(String::strip);
    }

    public Optional<String> userId() {
        return Attributes.first(lines, "userid").map(String::strip);
    }

    /** {@code a=floorid:<id> [mstrm:<label> …]} lines (RFC 8856 6). */
    public List<String> floorIds() {
        return Attributes.values(lines, "floorid");
    }

    public List<Integer> bfcpVersions() {
        return Attributes.first(lines, "bfcpver").map(value -> Arrays.stream(SPACES.split(value.strip())).map(Integer::valueOf).toList()).orElse(List.of());
    }

    public Optional<String> label() {
        return Attributes.first(lines, "label").map(String::strip);
    }

    /** sendrecv / sendonly / recvonly / inactive, when one is given at this level. */
    public Optional<String> direction() {
        for (SdpLine line : lines) {
            if (line.isAttribute() && List.of("sendrecv", "sendonly", "recvonly", "inactive").contains(line.value())) {
                return Optional.of(line.value());
            }
        }
        return Optional.empty();
    }

    /** The typed direction given at this level, if any (the session's applies otherwise: {@link SessionDescription#direction}). */
    public Optional<Direction> typedDirection() {
        return direction().flatMap(Direction::of);
    }

    /** The T.38 attributes ({@code a=T38FaxVersion:0}, …) of a udptl or UDP/TLS/UDPTL stream, by name. */
    public List<SdpLine> t38Attributes() {
        return lines.stream().filter(line -> line.isAttribute() && line.attributeName().regionMatches(true, 0, "T38", 0, 3)).toList();
    }

    // ---- rewriting ------------------------------------------------------------------------------------------

    public MediaDescription withTransport(Transport transport) {
        return new MediaDescription(mediaLine.withTransport(transport), lines);
    }

    public MediaDescription withPort(String port) {
        return new MediaDescription(mediaLine.withPort(port), lines);
    }

    /** Sets the media-level {@code c=} (replacing the first one, or adding it after i=). */
    public MediaDescription withConnectionData(String connectionData) {
        List<SdpLine> out = new ArrayList<>(lines);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).type() == 'c') {
                out.set(i, new SdpLine('c', connectionData));
                return new MediaDescription(mediaLine, out);
            }
        }
        int at = out.isEmpty() || out.get(0).type() != 'i' ? 0 : 1;
        out.add(at, new SdpLine('c', connectionData));
        return new MediaDescription(mediaLine, out);
    }

    public MediaDescription withAttribute(String name, String value) {
        return new MediaDescription(mediaLine, Attributes.with(lines, SdpLine.attribute(name, value)));
    }

    /** Replaces every {@code a=name} with one line per value, in order (none: all removed). */
    public MediaDescription withAttributes(String name, List<String> values) {
        return new MediaDescription(mediaLine, Attributes.withAll(lines, name, values.stream().map(value -> SdpLine.attribute(name, value)).toList()));
    }

    public MediaDescription withoutAttribute(String name) {
        return new MediaDescription(mediaLine, Attributes.without(lines, name));
    }

    public MediaDescription withSetup(Setup setup) {
        return withAttribute("setup", setup.token());
    }

    /** Replaces every fingerprint with these (none: all removed). */
    public MediaDescription withFingerprints(List<Fingerprint> fingerprints) {
        return new MediaDescription(mediaLine, Attributes.withAll(lines, "fingerprint",
                fingerprints.stream().map(f -> SdpLine.attribute("fingerprint", f.attributeValue())).toList()));
    }

    public MediaDescription withPath(List<String> uris) {
        return withAttribute("path", String.join(" ", uris));
    }

    /** Sets the stream's direction attribute (replacing any of sendrecv, sendonly, recvonly, inactive). */
    public MediaDescription withDirection(Direction direction) {
        MediaDescription out = this;
        for (Direction any : Direction.values()) {
            out = out.withoutAttribute(any.token());
        }
        return new MediaDescription(out.mediaLine, Attributes.with(out.lines, SdpLine.flag(direction.token())));
    }

    /** Sets {@code a=connection} (RFC 4145 5). */
    public MediaDescription withConnection(ConnectionAttribute connection) {
        return withAttribute("connection", connection.token());
    }

    public MediaDescription withKeyManagement(KeyManagement keyManagement) {
        return withAttribute("key-mgmt", keyManagement.attributeValue());
    }
}
