package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Ingress (components/ingress) passes long polls and event streams through unharmed: no
 * response buffering, timeouts above the longest ?wait and the SSE keep-alive period.
 */
class IngressComponentTest {
    private static final String NGINX = "nginx.ingress.kubernetes.io/";

    @Test
    void streamsAreNotBufferedAndLongPollsOutliveTheProxyTimeouts() {
        // Given the production overlay's Ingress
        List<RenderedObject> objects = Manifests.render("overlays/production");
        JsonNode annotations = Manifests.get(objects, "Ingress", "berth").object().at("/metadata/annotations");

        // When its proxy settings are read, and Berth's longest ?wait and keep-alive period
        long readTimeout = Long.parseLong(annotations.path(NGINX + "proxy-read-timeout").asText("60"));
        long sendTimeout = Long.parseLong(annotations.path(NGINX + "proxy-send-timeout").asText("60"));
        int longest = Math.max(DrainGraceTest.maxWaitSeconds(), keepAliveSeconds());

        // Then each event reaches the client when written, and no wait or stream is cut by the proxy
        assertThat(annotations.path(NGINX + "proxy-buffering").asText()).isEqualTo("off");
        assertThat(readTimeout).isGreaterThan(longest);
        assertThat(sendTimeout).isGreaterThan(longest);
    }

    @Test
    void theIngressReachesBerthsHttpPortAndAcceptsTheLargestBodyBerthDoes() {
        // Given the production overlay's Ingress and Service
        List<RenderedObject> objects = Manifests.render("overlays/production");
        JsonNode ingress = Manifests.get(objects, "Ingress", "berth").object();
        JsonNode backend = ingress.at("/spec/rules/0/http/paths/0/backend/service");
        RenderedObject service = Manifests.get(objects, "Service", backend.path("name").asText());

        // When the backend port and the body limit are compared with the Service and Berth's own limit
        List<String> ports = service.object().at("/spec/ports").findValuesAsText("name");
        long proxyBody = bytes(ingress.at("/metadata/annotations/" + NGINX.replace("/", "~1") + "proxy-body-size").asText("1m"));

        // Then it reaches the public port (never management), and Berth, not the proxy, refuses a
        // large body, with its problem+json
        assertThat(ports).contains(backend.at("/port/name").asText());
        assertThat(backend.at("/port/name").asText()).isEqualTo("http");
        assertThat(proxyBody).isGreaterThan(maxBodyBytes());
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isNotBlank();
    }

    /** SessionResource.KEEP_ALIVE: the period of the SSE keep-alive comment. */
    static int keepAliveSeconds() {
        String resource = Manifests.read(Manifests.ROOT.resolve(
                "../deploy/src/main/java/dev/berth/deploy/rest/SessionResource.java"));
        Matcher matcher = Pattern.compile("KEEP_ALIVE\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)").matcher(resource);
        assertThat(matcher.find()).as("SessionResource.KEEP_ALIVE").isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static long maxBodyBytes() {
        String properties = Manifests.read(Manifests.ROOT.resolve("../deploy/src/main/resources/application.properties"));
        Matcher matcher = Pattern.compile("(?m)^berth\\.api\\.max-body-bytes=(\\d+)\\s*$").matcher(properties);
        assertThat(matcher.find()).as("berth.api.max-body-bytes").isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** An nginx size: 2m, 512k, or bytes. */
    private static long bytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        return switch (unit) {
            case 'k' -> Long.parseLong(size.substring(0, size.length() - 1)) * 1024;
            case 'm' -> Long.parseLong(size.substring(0, size.length() - 1)) * 1024 * 1024;
            case 'g' -> Long.parseLong(size.substring(0, size.length() - 1)) * 1024 * 1024 * 1024;
            default -> Long.parseLong(size);
        };
    }
}
