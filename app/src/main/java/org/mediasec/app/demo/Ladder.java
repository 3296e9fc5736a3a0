package org.mediasec.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The events of one scenario as they happened, drawn as a ladder (message sequence chart): one lifeline per
 * participant, one arrow per event, with the time since the scenario started. Runs of the same arrow (MSRP chunks
 * and their 200s) are drawn once with a count.
 */
final class Ladder {

    record Step(long nanos, int from, int to, String label) {}

    private final List<String> participants;
    private final long start = System.nanoTime();
    private final List<Step> steps = new ArrayList<>();

    Ladder(List<String> participants) {
        this.participants = List.copyOf(participants);
    }

    synchronized void arrow(String from, String to, String label) {
        int f = participants.indexOf(from);
        int t = participants.indexOf(to);
        if (f < 0 || t < 0) {
            throw new IllegalArgumentException("unknown participant: " + from + " or " + to);
        }
        steps.add(new Step(System.nanoTime() - start, f, t, label));
    }

    /** A note on one lifeline (TLS handshake done, a check's result). */
    synchronized void note(String at, String label) {
        int i = participants.indexOf(at);
        steps.add(new Step(System.nanoTime() - start, i, i, label));
    }

    /**
     * Runs of MSRP chunks and their responses merged: within a run of MSRP arrows (no other event between), an
     * arrow of the same kind between the same two lifelines as an earlier one adds to that one's count.
     */
    synchronized List<Step> merged(List<Integer> counts) {
        List<Step> out = new ArrayList<>();
        int runStart = 0;
        for (Step step : steps) {
            String kind = kind(step.label());
            boolean mergeable = kind.matches("(SEND|200 OK|received|sent).*");
            if (!mergeable) {
                out.add(step);
                counts.add(1);
                runStart = out.size();
                continue;
            }
            int earlier = -1;
            if (kind.equals("SEND") && out.subList(runStart, out.size()).stream().noneMatch(earlierStep -> total(earlierStep.label()).equals(total(step.label())))) {
                runStart = out.size(); // another message: its chunks and responses are a run of their own
            }
            for (int i = runStart; i < out.size(); i++) {
                Step candidate = out.get(i);
                if (candidate.from() == step.from() && candidate.to() == step.to() && kind(candidate.label()).equals(kind)) {
                    earlier = i;
                    break;
                }
            }
            if (earlier >= 0) {
                counts.set(earlier, counts.get(earlier) + 1);
                continue;
            }
            out.add(step);
            counts.add(1);
        }
        return out;
    }

    /** The message size of a chunk label "SEND a-b/total", or "". */
    private static String total(String label) {
        int slash = label.indexOf('/');
        return label.startsWith("SEND") && slash > 0 ? label.substring(slash) : "";
    }

    private static String kind(String label) {
        int space = label.indexOf(' ');
        return label.startsWith("200 OK") ? "200 OK" : space < 0 ? label : label.substring(0, space);
    }

    /** The labels of the arrows from one participant to another, in order. */
    synchronized List<String> labels(String from, String to) {
        int f = participants.indexOf(from);
        int t = participants.indexOf(to);
        return steps.stream().filter(s -> s.from() == f && s.to() == t).map(Step::label).toList();
    }

    List<String> participants() {
        return participants;
    }

    private static final int COLUMN = 16;

    /** Plain text: lifelines and arrows, the label to the right. */
    String text() {
        StringBuilder out = new StringBuilder();
        StringBuilder header = new StringBuilder(" ".repeat(11));
        for (String participant : participants) {
            header.append(String.format("%-" + COLUMN + "s", participant));
        }
        out.append(header.toString().stripTrailing()).append('\n');
        List<Integer> counts = new ArrayList<>();
        List<Step> merged = merged(counts);
        for (int i = 0; i < merged.size(); i++) {
            Step step = merged.get(i);
            char[] line = (" ".repeat(COLUMN * (participants.size() - 1) + 1)).toCharArray();
            for (int p = 0; p < participants.size(); p++) {
                line[p * COLUMN] = '|';
            }
            int a = Math.min(step.from(), step.to()) * COLUMN;
            int b = Math.max(step.from(), step.to()) * COLUMN;
            if (step.from() == step.to()) {
                line[a] = '*';
            } else {
                for (int x = a + 1; x < b; x++) {
                    line[x] = '-';
                }
                if (step.from() < step.to()) {
                    line[b - 1] = '>';
                } else {
                    line[a + 1] = '<';
                }
            }
            String label = step.label() + (counts.get(i) > 1 ? " ... (x" + counts.get(i) + ")" : "");
            out.append(String.format(Locale.ROOT, "%8.1f ms  ", step.nanos() / 1e6)).append(new String(line)).append("  ").append(label).append('\n');
        }
        return out.toString();
    }

    /** An SVG drawing of the same ladder, for the HTML page. */
    String svg() {
        List<Integer> counts = new ArrayList<>();
        List<Step> merged = merged(counts);
        int width = 220 * participants.size() + 360;
        int height = 60 + 24 * merged.size();
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height + "\">\n");
        for (int p = 0; p < participants.size(); p++) {
            int x = 120 + 220 * p;
            svg.append("<text x=\"").append(x).append("\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">").append(escape(participants.get(p)))
                    .append("</text>\n<line x1=\"").append(x).append("\" y1=\"28\" x2=\"").append(x).append("\" y2=\"").append(height - 10)
                    .append("\" stroke=\"#999\"/>\n");
        }
        for (int i = 0; i < merged.size(); i++) {
            Step step = merged.get(i);
            int y = 50 + 24 * i;
            int x1 = 120 + 220 * step.from();
            int x2 = 120 + 220 * step.to();
            String label = step.label() + (counts.get(i) > 1 ? " (×" + counts.get(i) + ")" : "");
            svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\" fill=\"#666\">%.1f ms</text>\n", y + 4, step.nanos() / 1e6));
            if (x1 == x2) {
                svg.append("<circle cx=\"").append(x1).append("\" cy=\"").append(y).append("\" r=\"4\" fill=\"#36c\"/>\n")
                        .append("<text x=\"").append(x1 + 10).append("\" y=\"").append(y + 4).append("\" font-size=\"12\">").append(escape(label)).append("</text>\n");
            } else {
                String colour = label.startsWith("SDP") ? "#a50" : label.contains("Notify") || label.startsWith("Add") || label.startsWith("Modify")
                        || label.startsWith("Subtract") || label.startsWith("Reply") || label.startsWith("ServiceChange") ? "#36c" : "#080";
                svg.append("<line x1=\"").append(x1).append("\" y1=\"").append(y).append("\" x2=\"").append(x2).append("\" y2=\"").append(y)
                        .append("\" stroke=\"").append(colour).append("\" marker-end=\"url(#arrow)\"/>\n")
                        .append("<text x=\"").append(Math.min(x1, x2) + 6).append("\" y=\"").append(y - 4).append("\" font-size=\"11\">")
                        .append(escape(label.length() > 70 ? label.substring(0, 67) + "..." : label)).append("</text>\n");
            }
        }
        svg.append("<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">"
                + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs>\n</svg>\n");
        return svg.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
