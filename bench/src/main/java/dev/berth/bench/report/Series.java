package dev.berth.bench.report;

import java.util.List;

/** A named line of (x, y) points for a chart. */
public record Series(String name, List<Point> points) {

    public record Point(double x, double y) {
    }

    public Series {
        points = List.copyOf(points);
    }
}
