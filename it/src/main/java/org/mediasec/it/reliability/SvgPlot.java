package org.mediasec.it.reliability;

import java.util.List;
import java.util.Locale;

/**
 * The soak's samples as an SVG: one small panel per series (time in seconds across, the series' own range up),
 * a dashed line where the load stopped. Plain SVG 1.1, no script, readable in a browser and on GitHub.
 */
final class SvgPlot {

    private static final int PANEL_WIDTH = 420;
    private static final int PANEL_HEIGHT = 170;
    private static final int COLUMNS = 2;
    private static final int MARGIN_LEFT = 60;
    private static final int MARGIN_TOP = 28;
    private static final int MARGIN_BOTTOM = 26;
    private static final int MARGIN_RIGHT = 16;
    private static final int TITLE_HEIGHT = 30;

    private SvgPlot() {}

    static String plot(String title, List<Sample> samples, double loadEndSeconds) {
        List<Sample.Series> series = Sample.PLOTTED;
        int rows = (series.size() + COLUMNS - 1) / COLUMNS;
        int width = PANEL_WIDTH * COLUMNS;
        int height = TITLE_HEIGHT + PANEL_HEIGHT * rows;
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height, width, height));
        svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(format("<text x=\"10\" y=\"20\" font-size=\"14\">%s</text>%n", escape(title)));
        double minX = samples.stream().mapToDouble(Sample::seconds).min().orElse(0);
        double maxX = Math.max(minX + 1, samples.stream().mapToDouble(Sample::seconds).max().orElse(1));
        for (int i = 0; i < series.size(); i++) {
            panel(svg, series.get(i), samples, (i % COLUMNS) * PANEL_WIDTH, TITLE_HEIGHT + (i / COLUMNS) * PANEL_HEIGHT, minX, maxX, loadEndSeconds);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Sample.Series series, List<Sample> samples, int left, int top, double minX, double maxX, double loadEnd) {
        int plotLeft = left + MARGIN_LEFT;
        int plotTop = top + MARGIN_TOP;
        int plotWidth = PANEL_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
        int plotHeight = PANEL_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
        double maxY = samples.stream().mapToDouble(series.value()).max().orElse(1);
        double top0 = maxY <= 0 ? 1 : maxY * 1.1;
        svg.append(format("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s%s</text>%n", plotLeft, top + 18, escape(series.name()),
                series.unit().isEmpty() ? "" : " (" + series.unit() + ")"));
        svg.append(format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", plotLeft, plotTop, plotWidth, plotHeight));
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", plotLeft - 4, plotTop + 10, number(top0)));
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", plotLeft - 4, plotTop + plotHeight));
        svg.append(format("<text x=\"%d\" y=\"%d\">%s s</text>%n", plotLeft, plotTop + plotHeight + 14, number(minX)));
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s s</text>%n", plotLeft + plotWidth, plotTop + plotHeight + 14, number(maxX)));
        double endX = plotLeft + (loadEnd - minX) / (maxX - minX) * plotWidth;
        svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/>%n", endX, plotTop, endX, plotTop + plotHeight));
        StringBuilder points = new StringBuilder();
        for (Sample sample : samples) {
            double x = plotLeft + (sample.seconds() - minX) / (maxX - minX) * plotWidth;
            double y = plotTop + plotHeight - series.value().applyAsDouble(sample) / top0 * plotHeight;
            points.append(format("%.1f,%.1f ", x, y));
            svg.append(format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#236\"/>%n", x, y));
        }
        svg.append(format("<polyline points=\"%s\" fill=\"none\" stroke=\"#236\" stroke-width=\"1.5\"/>%n", points.toString().trim()));
    }

    private static String number(double value) {
        return value >= 100 || value == Math.rint(value) ? format("%,.0f", value) : format("%.1f", value);
    }

    private static String format(String format, Object... arguments) {
        return String.format(Locale.ROOT, format, arguments);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
