package org.mediasec.app.demo;

import java.util.List;

/** The demo's ladders as one self-contained HTML page (inline SVG and CSS, nothing fetched). */
public final class DemoPage {

    private DemoPage() {}

    public static String html(List<ScenarioResult> results) {
        StringBuilder page = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>mediasec demo</title>
                <style>body{font-family:sans-serif;margin:2em} .pass{color:#080} .fail{color:#c00} svg text{font-family:monospace}
                li{font-family:monospace} h2{margin-top:2em}</style></head><body>
                <h1>mediasec demo</h1>
                <p>SIP is not simulated: the SDP offers and answers are handed to the IMS-ALG (controller) directly. Real: H.248 over UDP
                between the IMS-ALG and the <code>mediasec gateway</code> process (IMS-AGW), TCP/TLS between the UEs and the gateway,
                MSRP end to end.</p>
                <ul>
                """);
        for (ScenarioResult result : results) {
            page.append("<li class=\"").append(result.passed() ? "pass" : "fail").append("\">").append(Ladder.escape(result.verdict())).append("</li>\n");
        }
        page.append("</ul>\n");
        for (ScenarioResult result : results) {
            page.append("<h2>Scenario ").append(result.number()).append(": ").append(Ladder.escape(result.title())).append("</h2>\n")
                    .append(result.ladderSvg()).append("<ul>\n");
            for (ScenarioResult.Check check : result.checks()) {
                page.append("<li class=\"").append(check.passed() ? "pass" : "fail").append("\">").append(check.passed() ? "ok " : "FAILED ")
                        .append(Ladder.escape(check.what())).append("</li>\n");
            }
            page.append("</ul>\n");
        }
        return page.append("</body></html>\n").toString();
    }
}
