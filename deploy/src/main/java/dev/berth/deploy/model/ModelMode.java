package dev.berth.deploy.model;

/**
 * Whether model calls go to the offline fake model (demo mode), and the endpoint flavour.
 *
 * @param demo    true when no endpoint is configured
 * @param flavour {@code demo}, {@code azure-v1}, {@code azure-classic} or {@code openai}
 */
public record ModelMode(boolean demo, String flavour) {
}
