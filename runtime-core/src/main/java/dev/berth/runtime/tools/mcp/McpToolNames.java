package dev.berth.runtime.tools.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The names under which an MCP server's tools are offered: {@code <server>__<tool>}, within
 * the model API's limit of 64 characters from {@code [a-zA-Z0-9_-]}. Other characters become
 * {@code _}; a name that would be too long is cut and ends with a short hash of the full
 * name, so two long names stay distinct and the same tool always gets the same name.
 */
public final class McpToolNames {
    public static final String SEPARATOR = "__";
    static final int MAX_LENGTH = 64;
    private static final Pattern SERVER_NAME = Pattern.compile("[a-zA-Z0-9-]+(_[a-zA-Z0-9-]+)*");
    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9_-]");

    private McpToolNames() {
    }

    /** Server names are used as name prefixes, so they must be short and plain. */
    public static void requireValidServerName(String server) {
        if (!SERVER_NAME.matcher(server).matches() || server.length() > 32) {
            throw new IllegalArgumentException("MCP server name '" + server + "' must be 1 to 32 characters from"
                    + " [a-zA-Z0-9_-], without '__' and without a leading or trailing '_'");
        }
    }

    /** The name agents use for this server's tool. */
    public static String qualified(String server, String tool) {
        String full = server + SEPARATOR + INVALID.matcher(tool).replaceAll("_");
        if (full.length() <= MAX_LENGTH && full.equals(server + SEPARATOR + tool)) {
            return full;
        }
        // Changed or cut: add a hash of the original name so that distinct tools stay distinct.
        String hash = shortHash(server + SEPARATOR + tool);
        int keep = Math.min(full.length(), MAX_LENGTH - hash.length() - 1);
        return full.substring(0, keep) + "_" + hash;
    }

    /** Whether a name has the form of a tool of this server. */
    public static boolean belongsTo(String qualifiedName, String server) {
        return qualifiedName.startsWith(server + SEPARATOR) && qualifiedName.length() > server.length() + 2;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
