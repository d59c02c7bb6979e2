package dev.berth.deploy.platform;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Recognises a platform key on the {@code /v1/platform} routes, before the tenant keys are looked
 * up: its SHA-256 is compared, in constant time, with each configured hash ({@code
 * berth.platform.key-hashes}). Anything else falls through to the tenant key check (so a tenant's
 * admin key is authenticated there and refused by RoleFilter with 403; an unknown key gets 401).
 * No statement: the platform keys live in the configuration, outside every tenant.
 */
public class PlatformKeyFilter {
    static final String PATH = "/v1/platform/";
    private static final String BEARER = "Bearer ";

    private final List<byte[]> hashes;
    private final PlatformPrincipal platform;

    @Inject
    public PlatformKeyFilter(PlatformConfig config, PlatformPrincipal platform) {
        this.platform = platform;
        this.hashes = config.keyHashes().orElse(List.of()).stream()
                .map(hex -> HexFormat.of().parseHex(hex.trim().toLowerCase(Locale.ROOT))).toList();
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 10)
    public void authenticate(ContainerRequestContext request) {
        if (hashes.isEmpty() || !request.getUriInfo().getPath().startsWith(PATH)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return;
        }
        byte[] presented = sha256(header.substring(BEARER.length()).trim());
        boolean matched = false;
        for (byte[] hash : hashes) {
            matched |= MessageDigest.isEqual(hash, presented);
        }
        if (matched) {
            platform.set("platform:" + HexFormat.of().formatHex(presented).substring(0, 12));
        }
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
