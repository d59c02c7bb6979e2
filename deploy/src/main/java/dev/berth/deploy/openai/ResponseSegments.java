package dev.berth.deploy.openai;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.run.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run as OpenAI responses (ADR 0037). OpenAI ends a response when the model calls a function and
 * starts a new one, with a new id, for the client's outputs; a Berth run instead pauses
 * ({@code requires_action}) and continues as the same run. So a run is cut into segments at its pauses:
 * the first starts at the run's input, each later one at the run's first event after a
 * {@code run.requires_action} event (the first answer). Computed from the log, never stored, so any
 * process finds the same segments for the same events.
 */
final class ResponseSegments {
    /**
     * @param start  the sequence of the segment's first event
     * @param events the run's events in the segment
     * @param first  whether it is the run's first segment ({@code resp_<run>})
     * @param last   whether the run has not gone past it (it then has the run's status)
     */
    record Segment(long start, List<Event> events, boolean first, boolean last) {
        /** The pause that ended it, or null when it did not end in a pause. */
        Event pause() {
            Event end = events.isEmpty() ? null : events.getLast();
            return end != null && EventType.RUN_REQUIRES_ACTION.equals(end.type()) ? end : null;
        }
    }

    private final Run run;
    private final List<Segment> segments;

    private ResponseSegments(Run run, List<Segment> segments) {
        this.run = run;
        this.segments = segments;
    }

    /** @param events the session's events from the run's input on (those of other runs are skipped) */
    static ResponseSegments of(Run run, List<Event> events) {
        List<List<Event>> parts = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Event> current = new ArrayList<>();
        parts.add(current);
        starts.add(run.inputSeq());
        boolean paused = false;
        for (Event event : events) {
            if (event.seq() < run.inputSeq() || !run.id().equals(event.runId()) && event.seq() != run.inputSeq()) {
                continue;
            }
            if (paused) {
                current = new ArrayList<>();
                parts.add(current);
                starts.add(event.seq());
            }
            current.add(event);
            paused = EventType.RUN_REQUIRES_ACTION.equals(event.type());
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            segments.add(new Segment(starts.get(i), List.copyOf(parts.get(i)), i == 0, i == parts.size() - 1));
        }
        return new ResponseSegments(run, List.copyOf(segments));
    }

    Segment first() {
        return segments.getFirst();
    }

    Segment last() {
        return segments.getLast();
    }

    /** The segment a response id names; a segment the run does not have is unknown (404), as any unknown id. */
    Segment at(OpenAiIds.ResponseRef ref) {
        if (ref.first()) {
            return first();
        }
        return segments.stream().filter(segment -> !segment.first() && segment.start() == ref.start()).findFirst()
                .orElseThrow(() -> new NotFoundException("response", OpenAiIds.segment(ref.run(), ref.start())));
    }

    /** The segment that starts after the pause at {@code pauseSeq}: the one the answers to that pause began. */
    Segment after(long pauseSeq) {
        return segments.stream().filter(segment -> segment.start() > pauseSeq).findFirst().orElse(last());
    }

    /** The sequence of the run's latest pause, or -1 when it never paused. */
    long lastPause() {
        return segments.stream().map(Segment::pause).filter(pause -> pause != null).mapToLong(Event::seq).max().orElse(-1);
    }

    String id(Segment segment) {
        return segment.first() ? OpenAiIds.response(run.id()) : OpenAiIds.segment(run.id(), segment.start());
    }

    /**
     * A segment the run went past ended in a pause that was answered: {@code completed}, as OpenAI's
     * response with function calls is. The last segment has the run's status (a pause is {@code completed} too).
     */
    String status(Segment segment) {
        return segment.last() ? ResponseViews.status(run) : "completed";
    }

    /** When the segment ended: its pause, or the run's end; null while it goes on. */
    Instant completedAt(Segment segment) {
        Event pause = segment.pause();
        if (pause != null) {
            return pause.createdAt();
        }
        return segment.last() ? run.finishedAt() : null;
    }

    /** The run's events in all segments, for what one segment's items need from the others (results, kinds). */
    List<Event> all() {
        return segments.stream().flatMap(segment -> segment.events().stream()).toList();
    }
}
