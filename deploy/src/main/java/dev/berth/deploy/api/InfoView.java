package dev.berth.deploy.api;

/**
 * What this Berth process is running against.
 *
 * @param demoMode true when model calls go to the offline fake model
 * @param database {@code embedded} or {@code external}
 */
public record InfoView(String name, String apiVersion, boolean demoMode, String modelFlavour, String database,
        String engineOwner) {
}
