package dev.berth.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code jcmd} of the benchmark's own JDK (the one Berth processes are started with). */
public final class Jcmd {

    private Jcmd() {
    }

    public static Path executable() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    public static boolean available() {
        return Files.isExecutable(executable());
    }

    /** The command's output; fails if it does not finish within 60 s or exits non-zero. */
    public static String run(long pid, String... command) {
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
