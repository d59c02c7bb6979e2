package dev.berth.bench.scenario;

import dev.berth.bench.report.Section;
import dev.berth.bench.report.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything a benchmark run produces, gathered as scenarios finish. Used from one thread. */
public final class Results {
    private final List<Section> sections = new ArrayList<>();
    private final Map<String, Map<String, List<Series.Point>>> charts = new LinkedHashMap<>();
    /** Berth's steps per second by concurrency, zero-latency model: what scenario 5 compares with. */
    private final Map<Integer, Double> stepsPerSecondFast = new TreeMap<>();

    public void add(Section section) {
        sections.add(section);
    }

    public void point(String chart, String series, double x, double y) {
        charts.computeIfAbsent(chart, k -> new LinkedHashMap<>())
                .computeIfAbsent(series, k -> new ArrayList<>()).add(new Series.Point(x, y));
    }

    public List<Series> chart(String chart) {
        List<Series> out = new ArrayList<>();
        charts.getOrDefault(chart, Map.of()).forEach((name, points) -> out.add(new Series(name, points)));
        return out;
    }

    public Map<String, Map<String, List<Series.Point>>> charts() {
        return charts;
    }

    public List<Section> sections() {
        return sections;
    }

    public Map<Integer, Double> stepsPerSecondFast() {
        return stepsPerSecondFast;
    }
}
