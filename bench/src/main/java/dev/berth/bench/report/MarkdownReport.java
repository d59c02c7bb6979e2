package dev.berth.bench.report;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders sections as markdown: one table of figures per section, its configuration and notes. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(String heading, Map<String, Object> environment, List<Section> sections) {
        StringBuilder md = new StringBuilder("# ").append(heading).append("\n\n");
        environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');
        for (Section s : sections) {
            md.append(section(s)).append('\n');
        }
        return md.toString();
    }

    /** One section, as printed after each scenario and written to results.md. */
    public static String section(Section s) {
        StringBuilder md = new StringBuilder("## ").append(s.title()).append("\n\n");
        md.append("Configuration: ").append(s.config().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append("\n\n");
        if (!s.figures().isEmpty()) {
            md.append("| figure | value | unit | target | verdict |\n|---|---:|---|---|---|\n");
            for (Figure f : s.figures()) {
                md.append("| ").append(cell(f.name())).append(" | ").append(f.formatted()).append(" | ")
                        .append(cell(f.unit())).append(" | ").append(cell(f.target())).append(" | ")
                        .append(f.verdict()).append(" |\n");
            }
            md.append('\n');
        }
        for (String note : s.notes()) {
            md.append("- ").append(note).append('\n');
        }
        return md.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
