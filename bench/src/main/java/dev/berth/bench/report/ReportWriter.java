package dev.berth.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes results.json, results.md and the SVG charts into the output directory. */
public final class ReportWriter {
    private final Path dir;

    public ReportWriter(Path dir) {
        this.dir = dir;
    }

    public void write(Map<String, Object> environment, List<Section> sections,
            Map<String, Map<String, List<Series.Point>>> chartData, List<SvgChart> charts, Map<String, String> files) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("environment", environment);
            json.put("sections", sections);
            json.put("charts", chartData);
            ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            mapper.writeValue(dir.resolve("results.json").toFile(), json);
            StringBuilder md = new StringBuilder(MarkdownReport.render("Berth benchmark results", environment,
                    sections));
            for (int i = 0; i < charts.size(); i++) {
                String file = files.get(charts.get(i).title());
                Files.writeString(dir.resolve(file), charts.get(i).render());
                md.append("![").append(charts.get(i).title()).append("](").append(file).append(")\n\n");
            }
            Files.writeString(dir.resolve("results.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write results to " + dir, e);
        }
    }
}
