package dev.berth.deploy.auth;

import dev.berth.deploy.api.KeyRequest;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a new key may do, read and checked from its request: roles (or the deprecated admin flag),
 * the actor of an actor key, the expiry. Every fault is named at once, as a 400 problem.
 *
 * @param actorId   the end user of an actor key, else null
 * @param expiresAt null for never
 */
public record KeyGrant(Set<Role> roles, String actorId, Instant expiresAt) {

    public static KeyGrant of(KeyRequest request, Instant now) {
        Map<String, String> errors = new LinkedHashMap<>();
        Set<Role> roles = roles(request, errors);
        if (roles.contains(Role.ACTOR) && roles.size() > 1) {
            errors.put("roles", "an actor key stands for one end user and holds no other role");
        }
        if (roles.contains(Role.ACTOR) && request.actorId() == null) {
            errors.put("actorId", "is required for an actor key");
        } else if (!roles.contains(Role.ACTOR) && request.actorId() != null) {
            errors.put("actorId", "is only for an actor key");
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            errors.put("expiresAt", "must be in the future");
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("the key's roles do not fit", errors);
        }
        if (request.actorId() != null) {
            InputLimits.identifier("actorId", request.actorId());
        }
        return new KeyGrant(roles, request.actorId(), request.expiresAt());
    }

    private static Set<Role> roles(KeyRequest request, Map<String, String> errors) {
        if (request.roles() != null && request.admin() != null) {
            errors.put("admin", "is deprecated and may not be given with roles");
            return Set.of();
        }
        if (request.roles() == null) {
            return Set.of(Boolean.TRUE.equals(request.admin()) ? Role.ADMIN : Role.SERVICE);
        }
        List<String> names = request.roles();
        if (names.isEmpty()) {
            errors.put("roles", "give at least one of admin, developer, operator, service, actor");
            return Set.of();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < names.size(); i++) {
            Optional<Role> role = names.get(i) == null ? Optional.empty() : Role.parse(names.get(i));
            if (role.isEmpty()) {
                errors.put("roles[" + i + "]", "is not one of admin, developer, operator, service, actor");
            } else {
                roles.add(role.get());
            }
        }
        return roles;
    }
}
