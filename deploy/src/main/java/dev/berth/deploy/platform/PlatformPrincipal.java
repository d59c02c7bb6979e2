package dev.berth.deploy.platform;

import jakarta.enterprise.context.RequestScoped;

/**
 * The platform operator, when a platform key authenticated the current request ({@link PlatformKeyFilter}).
 * It stands outside every tenant: it reaches the {@code /v1/platform} routes only.
 */
@RequestScoped
public class PlatformPrincipal {
    private String subject;

    void set(String subject) {
        this.subject = subject;
    }

    public boolean present() {
        return subject != null;
    }

    /** {@code platform:<first 12 hex digits of the key's hash>}: who did it, in the audit trail. */
    public String subject() {
        if (subject == null) {
            throw new IllegalStateException("not a platform request");
        }
        return subject;
    }
}
