package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.PendingAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The input items of a {@code POST /openai/v1/responses} other than user messages: the answers to a
 * response that ended in function calls or approval requests (ADR 0037). A {@code function_call_output}
 * is a client-side tool's output, an {@code mcp_approval_response} a decision on an approval request;
 * both become the {@link ActionAnswer}s that {@code POST /v1/runs/{id}/actions} takes, and are checked
 * by the same service. Only their shape is checked here.
 */
final class ResponseInputItems {
    static final String FUNCTION_CALL_OUTPUT = "function_call_output";
    static final String APPROVAL_RESPONSE = "mcp_approval_response";
    static final Set<String> TYPES = Set.of(FUNCTION_CALL_OUTPUT, APPROVAL_RESPONSE);
    /** OpenAI's limit on a call id. */
    private static final int MAX_CALL_ID_CHARS = 64;
    private static final Pattern ACTION_FIELD = Pattern.compile("^actions\\[(\\d+)](.*)$");

    /**
     * One answer and where it was in the request ({@code input[3]}), to name it in errors.
     */
    record Answer(String where, ActionAnswer answer) {
    }

    private ResponseInputItems() {
    }

    /** The answer an input item of one of {@link #TYPES} carries. */
    static Answer answer(JsonNode item, String where) {
        String type = item.path("type").asText();
        return new Answer(where, FUNCTION_CALL_OUTPUT.equals(type) ? output(item, where) : decision(item, where));
    }

    private static ActionAnswer output(JsonNode item, String where) {
        JsonNode callId = item.get("call_id");
        if (callId == null || !callId.isTextual() || callId.asText().isEmpty() || callId.asText().length() > MAX_CALL_ID_CHARS) {
            throw ValidationException.field(where + ".call_id", "is required: the call_id of a function_call, 1 to "
                    + MAX_CALL_ID_CHARS + " characters");
        }
        return ActionAnswer.output(callId.asText(), outputText(item.get("output"), where + ".output"));
    }

    /** A string, or input_text parts joined by newlines: Berth's tool results are text. */
    private static String outputText(JsonNode output, String where) {
        if (output != null && output.isTextual()) {
            return output.asText();
        }
        if (output == null || !output.isArray() || output.isEmpty()) {
            throw ValidationException.field(where, "must be a string or a list of input_text parts");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < output.size(); i++) {
            JsonNode part = output.get(i);
            if (!"input_text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw ValidationException.field(where + "[" + i + "]", "only input_text parts are supported");
            }
            parts.add(part.get("text").asText());
        }
        return String.join("\n", parts);
    }

    private static ActionAnswer decision(JsonNode item, String where) {
        JsonNode id = item.get("approval_request_id");
        OpenAiIds.ApprovalRef ref = id != null && id.isTextual() ? OpenAiIds.parseApprovalRequest(id.asText()) : null;
        if (ref == null) {
            throw ValidationException.field(where + ".approval_request_id",
                    "must be the id of an mcp_approval_request of the response (mcpr_...)");
        }
        JsonNode approve = item.get("approve");
        if (approve == null || !approve.isBoolean()) {
            throw ValidationException.field(where + ".approve", "is required: true or false");
        }
        JsonNode reason = item.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw ValidationException.field(where + ".reason", "must be a string");
        }
        return new ActionAnswer(ref.callId(), null, approve.asBoolean(),
                reason == null || reason.isNull() ? null : reason.asText(), ref.argumentsDigest());
    }

    static List<ActionAnswer> actions(List<Answer> answers) {
        return answers.stream().map(Answer::answer).toList();
    }

    /**
     * OpenAI's rule: continuing a response that ended in calls needs an answer to each of them. Berth's
     * native API takes some answers at a time; here a partial answer would leave the new response with
     * nothing to show for the calls still open, so it is refused and nothing is written.
     */
    static void requireEvery(List<PendingAction> pending, List<Answer> answers) {
        Set<String> answered = answers.stream().map(answer -> answer.answer().callId()).collect(Collectors.toSet());
        Set<String> open = pending.stream().map(PendingAction::callId).collect(Collectors.toSet());
        if (!open.containsAll(answered)) {
            return; // an answer to a call that is not open: the service names it (unknown, or answered before)
        }
        List<String> missing = pending.stream().map(PendingAction::callId).filter(id -> !answered.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw ValidationException.field("input", "the response waits for an answer to every call: no "
                    + "function_call_output or mcp_approval_response for " + missing);
        }
    }

    /**
     * The service's refusal named in this request's terms: its {@code actions[i]} is the i-th answer, which
     * is the item at {@link Answer#where()} here.
     */
    static Throwable inRequestTerms(Throwable failure, List<Answer> answers) {
        if (!(failure instanceof ValidationException invalid)) {
            return failure;
        }
        Map<String, String> renamed = new LinkedHashMap<>();
        invalid.fieldErrors().forEach((field, problem) -> {
            Matcher matcher = ACTION_FIELD.matcher(field);
            int index = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
            String name = index >= 0 && index < answers.size()
                    ? answers.get(index).where() + (matcher.group(2).equals(".callId") ? "" : matcher.group(2))
                    : "actions".equals(field) ? "input" : field;
            renamed.put(name, problem);
        });
        return new ValidationException(invalid.getMessage(), renamed);
    }
}
