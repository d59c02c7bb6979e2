package dev.berth.deploy.quota;

import dev.berth.deploy.error.Problems;
import dev.berth.deploy.observe.RequestIds;
import dev.berth.runtime.error.QuotaExceededException;
import jakarta.ws.rs.core.Response;

/**
 * The {@code 409 quota-exceeded} problem (ADR 0031): a problem with the quota, its limit and the
 * tenant's use as members of their own, so a client need not parse the detail.
 */
public record QuotaProblem(String type, String title, int status, String detail, String quota, long limit, long used,
        String requestId) {
    static final int STATUS = 409;

    public static Response response(QuotaExceededException e) {
        return Response.status(STATUS).type(Problems.MEDIA_TYPE)
                .entity(new QuotaProblem(Problems.TYPE_BASE + e.problemType(), "Quota exceeded", STATUS, e.getMessage(),
                        e.quota().wire(), e.limit(), e.used(), RequestIds.current()))
                .build();
    }
}
