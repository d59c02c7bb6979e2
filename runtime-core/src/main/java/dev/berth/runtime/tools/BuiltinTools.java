package dev.berth.runtime.tools;

import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolParam;
import dev.berth.tool.ToolProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** Small tools every Berth has, used by the quickstart and the demo. */
@ApplicationScoped
public class BuiltinTools implements ToolProvider {

    private final Clock clock;

    public BuiltinTools() {
        this(Clock.systemUTC());
    }

    BuiltinTools(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Object> tools() {
        return List.of(this);
    }

    /** The current time, so agents do not guess it. */
    @Tool(name = "current_time", description = "Returns the current date and time in a time zone.")
    public String currentTime(
            @ToolParam(description = "IANA time zone, for example Europe/Paris; UTC when absent")
            Optional<String> timeZone) {
        try {
            ZoneId zone = ZoneId.of(timeZone.filter(z -> !z.isBlank()).orElse("UTC"));
            return ZonedDateTime.now(clock.withZone(zone)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    + " (" + zone + ")";
        } catch (DateTimeException e) {
            throw new ToolException("Unknown time zone '" + timeZone.orElse("") + "'. Use an IANA name such as Europe/Paris.");
        }
    }

    /** Writes a note into the session's state, which survives across runs of the session. */
    @Tool(name = "save_note", description = "Saves a short note under a key in the session, for later turns.")
    public String saveNote(@ToolParam(description = "the key to save the note under") String key,
            @ToolParam(description = "the note") String note, ToolContext context) {
        if (key == null || key.isBlank()) {
            throw new ToolException("The key must not be empty.");
        }
        context.putState("note." + key, note);
        return "Saved note '" + key + "'.";
    }
}
