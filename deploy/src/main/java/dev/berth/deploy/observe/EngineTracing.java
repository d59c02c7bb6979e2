package dev.berth.deploy.observe;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spans of the runs this process executes: one {@code invoke_agent} span per execution of a
 * run, whose parent is the trace context stored with the run's input (so the run continues the
 * client's trace on whichever process executes it), with a span per step and, inside a step, a
 * span per model call ({@code chat}) and per tool call ({@code execute_tool}), with the
 * OpenTelemetry GenAI attributes. Spans are created with explicit parents: the engine's reactive
 * code does not carry an OpenTelemetry context from one stage to the next.
 */
@ApplicationScoped
public class EngineTracing {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** The spans of one run's execution here: its own and its current step's (steps do not overlap). */
    private record RunTrace(Span span, Context context, Map<String, Context> step) {
        Context parentOfCalls() {
            Context current = step.get("current");
            return current != null ? current : context;
        }
    }

    private final Tracer tracer;
    private final String provider;
    /** By execution (a process may take over its own run, so executions of one run can overlap). */
    private final Map<Lease, RunTrace> executions = new ConcurrentHashMap<>();
    /** The newest execution of each run here: tool calls know only their run. */
    private final Map<UUID, RunTrace> newest = new ConcurrentHashMap<>();

    @Inject
    public EngineTracing(Tracer tracer, dev.berth.deploy.model.ModelMode mode) {
        this.tracer = tracer;
        this.provider = mode.flavour().startsWith("azure") ? "azure.ai.openai" : "openai";
    }

    void runStarted(ClaimedRun claimed) {
        Run run = claimed.run();
        Span span = tracer.spanBuilder("invoke_agent " + run.agentName())
                .setParent(remoteParent(claimed.traceparent()))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, "invoke_agent")
                .setAttribute(AGENT_NAME, run.agentName())
                .setAttribute(CONVERSATION_ID, run.sessionId().toString())
                .setAttribute("berth.run.id", run.id().toString())
                .setAttribute("berth.session.id", run.sessionId().toString())
                .setAttribute("berth.tenant.id", run.tenant().toString())
                .setAttribute("berth.agent.version", run.agentVersion())
                .setAttribute("berth.run.takeover", claimed.takeover())
                .startSpan();
        RunTrace trace = new RunTrace(span, Context.root().with(span), new ConcurrentHashMap<>());
        executions.put(claimed.lease(), trace);
        newest.put(run.id(), trace);
    }

    void runEnded(ClaimedRun claimed, RunStatus status) {
        RunTrace trace = executions.remove(claimed.lease());
        if (trace == null) {
            return;
        }
        newest.remove(claimed.run().id(), trace);
        trace.span().setAttribute("berth.run.status", status.wire());
        if (status == RunStatus.FAILED) {
            trace.span().setStatus(StatusCode.ERROR, "run failed");
        }
        trace.span().end();
    }

    Span stepStarted(ClaimedRun claimed, String kind) {
        Run run = claimed.run();
        RunTrace trace = executions.get(claimed.lease());
        Span span = tracer.spanBuilder("step " + kind)
                .setParent(trace == null ? Context.root() : trace.context())
                .setAttribute("berth.step.kind", kind)
                .setAttribute("berth.run.id", run.id().toString())
                .startSpan();
        if (trace != null) {
            trace.step().put("current", Context.root().with(span));
        }
        return span;
    }

    void stepEnded(ClaimedRun claimed, Span span, Throwable failure) {
        RunTrace trace = executions.get(claimed.lease());
        if (trace != null) {
            trace.step().remove("current");
        }
        fail(span, failure);
        span.end();
    }

    Span modelCallStarted(ClaimedRun claimed, ChatRequest request) {
        RunTrace trace = executions.get(claimed.lease());
        return tracer.spanBuilder("chat " + request.model())
                .setParent(trace == null ? Context.root() : trace.parentOfCalls())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, "chat")
                .setAttribute(PROVIDER, provider)
                .setAttribute(SYSTEM, provider)
                .setAttribute(REQUEST_MODEL, request.model())
                .startSpan();
    }

    void modelCallSucceeded(Span span, ChatResponse response) {
        if (response.id() != null) {
            span.setAttribute(RESPONSE_ID, response.id());
        }
        if (response.call().deployment() != null) {
            span.setAttribute("berth.model.deployment", response.call().deployment());
        }
        span.setAttribute("berth.model.attempts", response.call().attempts());
        span.setAttribute(INPUT_TOKENS, response.usage().inputTokens());
        span.setAttribute(OUTPUT_TOKENS, response.usage().outputTokens());
        span.setAttribute(FINISH_REASONS, List.of(response.finishReason().name().toLowerCase(java.util.Locale.ROOT)));
        span.end();
    }

    void callFailed(Span span, Throwable failure) {
        fail(span, failure);
        span.end();
    }

    Span toolCallStarted(ToolInvocation invocation) {
        return tracer.spanBuilder("execute_tool " + invocation.call().name())
                .setParent(parentOfCalls(invocation.runId()))
                .setAttribute(OPERATION, "execute_tool")
                .setAttribute(TOOL_NAME, invocation.call().name())
                .setAttribute(TOOL_CALL_ID, invocation.call().id())
                .setAttribute("berth.tool.attempt", invocation.attempt())
                .startSpan();
    }

    void toolCallEnded(Span span, boolean error) {
        if (error) {
            span.setAttribute(ERROR_TYPE, "tool_error");
            span.setStatus(StatusCode.ERROR, "the tool call failed");
        }
        span.end();
    }

    /** The W3C headers that continue {@code span} in a remote service; empty when it is not recorded. */
    static Map<String, String> headers(Span span) {
        if (!span.getSpanContext().isValid()) {
            return Map.of();
        }
        Map<String, String> headers = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), headers, Map::put);
        return headers;
    }

    private Context parentOfCalls(UUID runId) {
        RunTrace trace = newest.get(runId);
        return trace == null ? Context.root() : trace.parentOfCalls();
    }

    private static Context remoteParent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceparent),
                MAP_GETTER);
    }

    private static void fail(Span span, Throwable failure) {
        if (failure instanceof java.util.concurrent.CancellationException) {
            // Stopped by the engine (cancellation, drain, time limit): not a failure of the call.
            span.setAttribute("berth.cancelled", true);
        } else if (failure != null) {
            String kind = EngineMetrics.errorKind(failure);
            span.setAttribute(ERROR_TYPE, "other".equals(kind) ? failure.getClass().getSimpleName() : kind);
            span.setStatus(StatusCode.ERROR);
        }
    }
}
