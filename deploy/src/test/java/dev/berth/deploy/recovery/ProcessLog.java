package dev.berth.deploy.recovery;

import dev.berth.testsupport.BerthProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one process logged since a point: its log file is appended to by every process of the same
 * name, so a test reads only its own part, from where it marked it ({@link #from}) or from the line
 * saying the process's engine last started ({@link #since}). The console format of
 * application.properties is {@code HH:mm:ss.SSS LEVEL [category] message}, an exception's stack on
 * the lines after, each frame on a line of its own beginning with a tab and {@code at }.
 */
final class ProcessLog {
    private static final Pattern LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(\\w+) +\\[.*");

    /** One logged message with the stack trace lines under it. */
    record Entry(String level, String line, List<String> stack) {
        boolean hasStackTrace() {
            return stack.stream().anyMatch(ProcessLog::isFrame);
        }
    }

    private final Path file;
    private final long fromByte;
    private final String fromEngineStart;

    private ProcessLog(Path file, long fromByte, String fromEngineStart) {
        this.file = file;
        this.fromByte = fromByte;
        this.fromEngineStart = fromEngineStart;
    }

    /** The process's log from now on (read again at every question). */
    static ProcessLog from(BerthProcess process) {
        try {
            return new ProcessLog(process.log(), Files.exists(process.log()) ? Files.size(process.log()) : 0, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process's log from the line saying its engine {@code owner} started (its latest start). */
    static ProcessLog since(BerthProcess process, String owner) {
        return new ProcessLog(process.log(), 0, "Run engine " + owner + " started");
    }

    List<String> lines() {
        try {
            byte[] all = Files.readAllBytes(file);
            int start = (int) Math.min(fromByte, all.length);
            List<String> lines = Arrays.asList(new String(all, start, all.length - start, StandardCharsets.UTF_8).split("\n"));
            if (fromEngineStart == null) {
                return lines;
            }
            int from = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(fromEngineStart)) {
                    from = i;
                }
            }
            return lines.subList(from, lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines()) {
            var matcher = LINE.matcher(line);
            if (matcher.matches()) {
                entries.add(new Entry(matcher.group(1), line, new ArrayList<>()));
            } else if (!entries.isEmpty()) {
                entries.getLast().stack().add(line);
            }
        }
        return entries;
    }

    /** ERROR messages logged with a stack trace: what an expected fault must never produce. */
    List<String> errorsWithStackTraces() {
        return entries().stream().filter(e -> e.level().equals("ERROR") && e.hasStackTrace()).map(Entry::line).toList();
    }

    /** Messages of any level logged with a stack trace. */
    List<String> stackTraces() {
        return entries().stream().filter(Entry::hasStackTrace).map(Entry::line).toList();
    }

    long count(String level, String text) {
        return entries().stream().filter(e -> e.level().equals(level) && e.line().contains(text)).count();
    }

    long count(String level) {
        return entries().stream().filter(e -> e.level().equals(level)).count();
    }

    /** Lines holding {@code fragment}, at any level, stack lines included. */
    long countContaining(String fragment) {
        return lines().stream().filter(line -> line.contains(fragment)).count();
    }

    /** Lines that are frames of a logged stack trace. */
    long stackFrames() {
        return lines().stream().filter(ProcessLog::isFrame).count();
    }

    long errors() {
        return count("ERROR");
    }

    /** The first lines of the log with a stack trace or an error, for an assertion's message. */
    String excerpt() {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (isFrame(lines.get(i)) || lines.get(i).contains(" ERROR [")) {
                return String.join("\n", lines.subList(Math.max(0, i - 2), Math.min(lines.size(), i + 12)));
            }
        }
        return "";
    }

    private static boolean isFrame(String line) {
        return line.startsWith("\tat ");
    }
}
