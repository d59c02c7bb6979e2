package dev.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Facts about the machine and the build, so a reader can judge the figures. Best effort. */
final class Host {

    private Host() {
    }

    /** The 1, 5 and 15 minute load averages: other work on a shared machine shows here. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The checked-out commit. Only {@code rev-parse}: {@code git status} may rewrite the index,
     * and the jar may hold uncommitted work anyway (its build time is reported next to this).
     */
    static String gitHead() {
        String head = run("git", "rev-parse", "--short", "HEAD");
        return head.isEmpty() ? "unknown" : head;
    }

    static String jarBuilt() {
        Path dir = Path.of("").toAbsolutePath();
        for (; dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("deploy/target/quarkus-app/quarkus-run.jar");
            if (Files.exists(jar)) {
                try {
                    return Files.getLastModifiedTime(jar).toString() + " (" + jar + ")";
                } catch (IOException e) {
                    return "unknown";
                }
            }
        }
        return "unknown";
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
