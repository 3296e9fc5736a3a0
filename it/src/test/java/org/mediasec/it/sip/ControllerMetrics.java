package org.mediasec.it.sip;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a {@code mediasec controller} process's metrics port, as Prometheus would scrape it. */
final class ControllerMetrics {

    private ControllerMetrics() {}

    /**
     * The samples of {@code name} in the text format, those whose labels contain {@code label} (empty: all), summed; 0
     * when there are none.
     */
    static double sum(int metricsPort, String name, String label) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(line -> line.startsWith(name + " ") && label.isEmpty() || line.startsWith(name + "{") && line.contains(label))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }
    }
}
