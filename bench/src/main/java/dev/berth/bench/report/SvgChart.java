package dev.berth.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small, dependency-free SVG line chart: axes with ticks, one coloured line per series and a
 * legend. Enough to see a shape at a glance in a README or a pull request; not a plotting library.
 *
 * @param logX a logarithmic x axis (concurrency levels 1..5000 spread evenly)
 * @param logY a logarithmic y axis (series of very different magnitudes on one chart)
 */
public record SvgChart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    static final int LEFT = 80;
    private static final int RIGHT = 200;
    static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    public SvgChart {
        series = List.copyOf(series);
    }

    /** The chart as a standalone SVG document. */
    public String render() {
        Range x = range(true);
        Range y = range(false);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 22, "middle", 15, title);
        text(svg, LEFT + plotWidth() / 2.0, HEIGHT - 15, "middle", 12, xLabel);
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 %.1f)\">%s</text>%n", TOP + plotHeight() / 2.0,
                TOP + plotHeight() / 2.0, escape(yLabel)));
        axes(svg, x, y);
        for (int i = 0; i < series.size(); i++) {
            line(svg, series.get(i), COLOURS[i % COLOURS.length], x, y);
            legend(svg, series.get(i).name(), COLOURS[i % COLOURS.length], i);
        }
        return svg.append("</svg>\n").toString();
    }

    /** Screen x of a data value, for tests and for drawing. */
    double screenX(double value, Range r) {
        return LEFT + r.fraction(value) * plotWidth();
    }

    double screenY(double value, Range r) {
        return TOP + plotHeight() - r.fraction(value) * plotHeight();
    }

    Range range(boolean forX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean log = forX ? logX : logY;
        for (Series s : series) {
            for (Series.Point p : s.points()) {
                double v = forX ? p.x() : p.y();
                if (Double.isFinite(v) && (!log || v > 0)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new Range(log ? 1 : 0, log ? 10 : 1, log);
        }
        if (!log) {
            min = Math.min(0, min); // linear axes start at zero so ratios read true
        }
        if (log) {
            // Whole decades, so that every decade has a labelled tick.
            min = Math.pow(10, Math.floor(Math.log10(min)));
            max = Math.pow(10, Math.ceil(Math.log10(max)));
        }
        if (max == min) {
            max = log ? min * 10 : min + 1;
        }
        return new Range(min, max, log);
    }

    private void axes(StringBuilder svg, Range x, Range y) {
        int bottom = TOP + plotHeight();
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, bottom, LEFT + plotWidth(), bottom));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, bottom));
        for (double t : x.ticks()) {
            double sx = screenX(t, x);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\"/>%n",
                    sx, TOP, sx, bottom));
            text(svg, sx, bottom + 16, "middle", 11, tickLabel(t));
        }
        for (double t : y.ticks()) {
            double sy = screenY(t, y);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ccc\"/>%n",
                    LEFT, sy, LEFT + plotWidth(), sy));
            text(svg, LEFT - 6, sy + 4, "end", 11, tickLabel(t));
        }
    }

    private void line(StringBuilder svg, Series s, String colour, Range x, Range y) {
        List<String> coords = new ArrayList<>();
        for (Series.Point p : s.points()) {
            if (x.contains(p.x()) && y.contains(p.y())) {
                coords.add(String.format(Locale.ROOT, "%.1f,%.1f", screenX(p.x(), x), screenY(p.y(), y)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                colour, String.join(" ", coords)));
        if (coords.size() <= 30) {
            for (String c : coords) {
                String[] xy = c.split(",");
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>%n",
                        xy[0], xy[1], colour));
            }
        }
    }

    private void legend(StringBuilder svg, String name, String colour, int index) {
        int lx = LEFT + plotWidth() + 15;
        int ly = TOP + 10 + index * 20;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n",
                lx, ly - 4, colour));
        text(svg, lx + 20, ly + 1, "start", 11, name);
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(content)));
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String tickLabel(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }

    static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    /** An axis range; logarithmic ranges work on log10 of the values. */
    record Range(double min, double max, boolean log) {
        double fraction(double v) {
            return log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
        }

        boolean contains(double v) {
            return Double.isFinite(v) && (!log || v > 0);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double t = Math.pow(10, Math.floor(Math.log10(min))); t <= max * 1.0001; t *= 10) {
                    if (t >= min * 0.9999) {
                        ticks.add(t);
                    }
                }
                return ticks;
            }
            double step = niceStep((max - min) / 5);
            for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9 && ticks.size() < 20; t += step) {
                ticks.add(t);
            }
            return ticks;
        }

        private static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
        }
    }
}
