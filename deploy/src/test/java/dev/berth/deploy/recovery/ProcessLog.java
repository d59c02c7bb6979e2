package dev.berth.deploy.recovery;

import dev.berth.testsupport.BerthProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a Berth process wrote to its log since a point in time: its log file is appended to by
 * every process of the same name, so a test marks where its part begins and reads only that.
 * The console format is {@code time LEVEL [logger] message}, then the stack frames of an
 * exception, each on a line of its own beginning with a tab and {@code at }.
 */
final class ProcessLog {
    private final Path file;
    private final long from;

    private ProcessLog(Path file, long from) {
        this.file = file;
        this.from = from;
    }

    /** The process's log from now on. */
    static ProcessLog from(BerthProcess process) {
        try {
            return new ProcessLog(process.log(), Files.exists(process.log()) ? Files.size(process.log()) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines() {
        try {
            byte[] all = Files.readAllBytes(file);
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
            return Arrays.asList(text.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String fragment) {
        return lines().stream().filter(line -> line.contains(fragment)).count();
    }

    /** Lines that are frames of a logged stack trace. */
    long stackFrames() {
        return lines().stream().filter(line -> line.startsWith("\tat ")).count();
    }

    long errors() {
        return lines().stream().filter(line -> line.contains(" ERROR [")).count();
    }

    /** The first lines of the log with a stack trace or an error, for an assertion's message. */
    String excerpt() {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("\tat ") || lines.get(i).contains(" ERROR [")) {
                return String.join("\n", lines.subList(Math.max(0, i - 2), Math.min(lines.size(), i + 12)));
            }
        }
        return "";
    }
}
