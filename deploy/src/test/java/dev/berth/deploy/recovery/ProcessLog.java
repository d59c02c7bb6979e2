package dev.berth.deploy.recovery;

import dev.berth.testsupport.BerthProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one process logged since its engine last started (log files are appended to by every test
 * run that uses the same process name), in the console format of application.properties:
 * {@code HH:mm:ss.SSS LEVEL [category] message}, an exception's stack on the lines after.
 */
final class ProcessLog {
    private static final Pattern LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(\\w+) +\\[.*");

    /** One logged message with the stack trace lines under it. */
    record Entry(String level, String line, List<String> stack) {
        boolean hasStackTrace() {
            return stack.stream().anyMatch(l -> l.startsWith("\tat "));
        }
    }

    private final List<Entry> entries;

    private ProcessLog(List<Entry> entries) {
        this.entries = entries;
    }

    /** The process's log from the line saying its engine {@code owner} started (its latest start). */
    static ProcessLog since(BerthProcess process, String owner) throws IOException {
        List<String> lines = Files.readAllLines(process.log());
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("Run engine " + owner + " started")) {
                from = i;
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines.subList(from, lines.size())) {
            var matcher = LINE.matcher(line);
            if (matcher.matches()) {
                entries.add(new Entry(matcher.group(1), line, new ArrayList<>()));
            } else if (!entries.isEmpty()) {
                entries.getLast().stack().add(line);
            }
        }
        return new ProcessLog(entries);
    }

    /** ERROR messages logged with a stack trace: what an expected fault must never produce. */
    List<String> errorsWithStackTraces() {
        return entries.stream().filter(e -> e.level().equals("ERROR") && e.hasStackTrace()).map(Entry::line).toList();
    }

    /** Messages of any level logged with a stack trace. */
    List<String> stackTraces() {
        return entries.stream().filter(Entry::hasStackTrace).map(Entry::line).toList();
    }

    long count(String level, String text) {
        return entries.stream().filter(e -> e.level().equals(level) && e.line().contains(text)).count();
    }

    long count(String level) {
        return entries.stream().filter(e -> e.level().equals(level)).count();
    }
}
