package dev.berth.deploy.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The W3C trace context a submission stores with its input, so the run's trace continues it. */
public final class TraceContexts {
    private TraceContexts() {
    }

    /**
     * The current request's span (whose parent is the caller's {@code traceparent}, when sent);
     * when tracing records nothing, the caller's header as it came, which RunService validates.
     */
    public static String current(String header) {
        SpanContext context = Span.current().getSpanContext();
        if (context.isValid()) {
            return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
        }
        return header;
    }
}
