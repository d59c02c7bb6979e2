package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Alerts come with runbooks, the dashboard is well formed, every metric name used anywhere is
 * listed in k8s/observability/README.md, and every listed name is registered by Berth.
 */
class ObservabilityTest {
    private static final Pattern METRIC = Pattern.compile("\\bberth_[a-z_]+\\b");

    @Test
    void everyAlertHasASeverityASummaryAndARunbookInTheOperatorGuide() {
        // Given the alert rules and the operator guide
        List<JsonNode> alerts = alerts();
        String guide = Manifests.read(Manifests.ROOT.resolve("../docs/operations.md"));
        Set<String> anchors = anchors(guide);

        // When each alert's runbook link is resolved to a heading of the guide
        SoftAssertions softly = new SoftAssertions();
        Set<String> bases = new TreeSet<>();
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            softly.assertThat(alert.at("/labels/severity").asText()).as(name + " severity").isIn("critical", "warning", "info");
            softly.assertThat(alert.at("/annotations/summary").asText()).as(name + " summary").isNotBlank();
            String runbook = alert.at("/annotations/runbook_url").asText();
            // Absolute: a relative link means nothing in Alertmanager, a pager or a chat message
            softly.assertThat(runbook).as(name + " runbook link").matches("https://[^/#]+/.*operations\\.md#.+");
            softly.assertThat(anchors).as(name + " runbook heading").contains(runbook.substring(runbook.indexOf('#') + 1));
            bases.add(runbook.substring(0, runbook.indexOf('#')));
        }
        // One base for every rule, so that pointing them at your copy of the guide is one change
        softly.assertThat(bases).as("runbook bases").hasSize(1);

        // Then every alert leads to its runbook
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
        softly.assertAll();
    }

    @Test
    void everyMetricUsedIsListed() throws IOException {
        // Given every place a berth_* metric name appears: rules, dashboard, HPA alternative
        String used = Manifests.read(Manifests.ROOT.resolve("observability/60-prometheusrule.yaml"))
                + Manifests.read(Manifests.ROOT.resolve("observability/grafana-dashboard.json"))
                + Manifests.read(Manifests.ROOT.resolve("components/autoscaling-hpa/50-horizontalpodautoscaler.yaml"));
        String readme = Manifests.read(Manifests.ROOT.resolve("observability/README.md"));

        // When the names are collected (histogram series reduced to their metric)
        Set<String> metrics = new TreeSet<>();
        Matcher matcher = METRIC.matcher(used);
        while (matcher.find()) {
            metrics.add(matcher.group().replaceAll("_(bucket|sum|count)$", ""));
        }

        // Then each one is in the README's table
        assertThat(metrics).isNotEmpty();
        assertThat(metrics).allSatisfy(metric -> assertThat(readme).contains("`" + metric + "`"));
    }

    @Test
    void everyListedMetricIsRegisteredByBerth() throws IOException {
        // Given the metrics of the README's table and the sources of Berth's meters
        String readme = Manifests.read(Manifests.ROOT.resolve("observability/README.md"));
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `(berth_[a-z_]+)` \\|", Pattern.MULTILINE).matcher(readme);
        while (row.find()) {
            listed.add(row.group(1));
        }
        StringBuilder sources = new StringBuilder();
        try (var files = java.nio.file.Files.list(Manifests.ROOT.resolve("../deploy/src/main/java/dev/berth/deploy/observe"))) {
            for (java.nio.file.Path file : files.toList()) {
                sources.append(java.nio.file.Files.readString(file));
            }
        }

        // When each is turned into the Micrometer name it is exported from (berth_x_total -> "berth.x")
        // Then Berth registers a meter of that name
        assertThat(listed).hasSizeGreaterThanOrEqualTo(15);
        assertThat(listed).allSatisfy(metric -> assertThat(sources.toString())
                .as(metric + " is registered in deploy/.../observe")
                .contains("\"" + metric.replaceAll("_(total|seconds)$", "").replace('_', '.') + "\""));
    }

    @Test
    void dashboardPanelsAreUniqueAndUseTheDatasourceVariable() throws IOException {
        // Given the Grafana dashboard
        JsonNode dashboard = JsonMapper.builder().build()
                .readTree(Manifests.ROOT.resolve("observability/grafana-dashboard.json").toFile());

        // When its panels are read
        List<Integer> ids = new ArrayList<>();
        List<String> datasources = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            panel.path("targets").forEach(t -> datasources.add(t.at("/datasource/uid").asText()));
        }

        // Then ids are unique, every query has an expression and uses the selectable datasource
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(ids).isNotEmpty().doesNotHaveDuplicates();
        assertThat(dashboard.findValuesAsText("expr")).allSatisfy(expr -> assertThat(expr).isNotBlank());
        assertThat(datasources).containsOnly("${datasource}");
    }

    @Test
    void prometheusFindsTheRulesAndMonitorsByTheLabelItSelectsOn() {
        // Given everything the observability kustomization installs
        List<RenderedObject> objects = Manifests.render("observability");

        // When their labels are read
        // Then each carries the label kube-prometheus-stack's rule and monitor selectors use
        assertThat(objects).extracting(RenderedObject::kind).contains("PrometheusRule", "PodMonitor");
        assertThat(objects).allSatisfy(o -> assertThat(o.object().at("/metadata/labels/release").asText())
                .as(o.id() + " release label").isNotBlank());
    }

    @Test
    void aPodMonitorScrapesBerthsManagementPortAndNeverHttp() {
        // Given Berth's PodMonitor and the production pods it should find
        List<RenderedObject> production = Manifests.render("overlays/production");
        JsonNode podLabels = PodSpecs.podLabels(Manifests.get(production, "Deployment", "berth"));
        JsonNode berth = Manifests.berthContainer(production);
        JsonNode monitor = Manifests.get(Manifests.render("observability"), "PodMonitor", "berth").object().path("spec");

        // When its selector and endpoints are compared with the pods
        List<String> portNames = berth.path("ports").findValuesAsText("name");

        // Then it selects Berth's pods, on the management port, at the metrics path
        monitor.at("/selector/matchLabels").fields().forEachRemaining(label ->
                assertThat(podLabels.path(label.getKey()).asText()).as(label.getKey()).isEqualTo(label.getValue().asText()));
        assertThat(monitor.path("podMetricsEndpoints")).isNotEmpty().allSatisfy(endpoint -> {
            assertThat(endpoint.path("port").asText()).isEqualTo("management").isIn(portNames);
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        });
    }

    @Test
    void theDatabaseIsScrapedAndAlertedOn() {
        // Given the production database, the observability PodMonitors and the alert expressions
        String cluster = Manifests.ofKind(Manifests.render("overlays/production"), "Cluster").get(0).name();
        List<RenderedObject> monitors = Manifests.ofKind(Manifests.render("observability"), "PodMonitor");
        List<String> expressions = alerts().stream().map(a -> a.path("expr").asText()).toList();

        // When the monitors selecting CloudNativePG's instances and the database alerts are found
        List<RenderedObject> database = monitors.stream()
                .filter(m -> m.object().at("/spec/selector/matchLabels/cnpg.io~1cluster").asText().equals(cluster))
                .toList();

        // Then the instances' exporter is scraped, and replication lag, backup age, failed
        // backups, WAL archiving and disk space each have an alert
        assertThat(database).hasSize(1);
        assertThat(database.get(0).object().at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(expressions)
                .anySatisfy(e -> assertThat(e).contains("cnpg_pg_replication_lag"))
                .anySatisfy(e -> assertThat(e).contains("time()", "last_available_backup_timestamp"))
                .anySatisfy(e -> assertThat(e).contains("last_failed_backup_timestamp"))
                .anySatisfy(e -> assertThat(e).contains("cnpg_pg_stat_archiver"))
                .anySatisfy(e -> assertThat(e).contains("kubelet_volume_stats_available_bytes", cluster));
    }

    @Test
    void gaugesEveryPodReadsFromTheDatabaseAreNotSummedAcrossPods() throws IOException {
        // Given the dashboard's and the rules' expressions, and the gauges each pod reads from the
        // database (the same value on every pod: a sum over N pods shows N times the real count)
        JsonNode dashboard = JsonMapper.builder().build()
                .readTree(Manifests.ROOT.resolve("observability/grafana-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>(dashboard.findValuesAsText("expr"));
        alerts().forEach(a -> expressions.add(a.path("expr").asText()));
        Pattern summed = Pattern.compile("\\bsum\\b[^()]*\\(\\s*(berth_runs|berth_queue_oldest_age_seconds)\\b(?!_)");

        // When the expressions that aggregate them are read
        List<String> wrong = expressions.stream().filter(e -> summed.matcher(e).find()).toList();

        // Then none sums them, and the runs-by-status panel takes the max
        assertThat(wrong).isEmpty();
        assertThat(expressions).contains("max by (status) (berth_runs)");
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (RenderedObject rule : Manifests.ofKind(Manifests.render("observability"), "PrometheusRule")) {
            for (JsonNode group : rule.object().at("/spec/groups")) {
                group.path("rules").forEach(r -> {
                    if (r.has("alert")) {
                        alerts.add(r);
                    }
                });
            }
        }
        return alerts;
    }

    /** GitHub-style anchors of the Markdown headings. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
