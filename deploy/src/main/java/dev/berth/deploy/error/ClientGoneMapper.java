package dev.berth.deploy.error;

import jakarta.ws.rs.core.Response;
import java.nio.channels.ClosedChannelException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A client that hung up before its answer could be written (an SSE client closing the
 * connection as its stream's head goes out, say) is not a server fault: logged at debug, with
 * no stack, like any client error ({@link ProblemLogFilter}). The answer is a problem like any
 * other, though nobody is left to read it; its status is 499 (nginx's "client closed request"),
 * so request metrics do not count it as a server error.
 */
public class ClientGoneMapper {
    private static final int CLIENT_CLOSED = 499;

    @ServerExceptionMapper
    public Response clientGone(ClosedChannelException e) {
        return Problems.response(CLIENT_CLOSED, "client-closed", "Client closed the connection",
                "the connection was closed before the answer was written", null).build();
    }
}
