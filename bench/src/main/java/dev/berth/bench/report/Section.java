package dev.berth.bench.report;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one scenario under one configuration: the configuration used, its figures,
 * free-form notes (method, caveats) and optional per-statement rows. Mutable while the scenario
 * runs, then only read.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Section {
    private final String id;
    private final String title;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    public Section(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public Section config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    public Section figure(Figure figure) {
        figures.add(figure);
        return this;
    }

    public Section note(String note) {
        notes.add(note);
        return this;
    }

    /** Raw data kept in the JSON only (series, statement tables). */
    public Section detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> config() {
        return config;
    }

    public List<Figure> figures() {
        return figures;
    }

    public List<String> notes() {
        return notes;
    }

    public Map<String, Object> details() {
        return details;
    }
}
