package io.kafkaconcierge.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events a stream client wants; an empty set means any. {@code types} are CloudEvent types
 * ({@code io.kafkaconcierge.topic.ready}); {@code kinds} resource kinds ({@code topic}, {@code instance}, {@code subscription}).
 */
public record EventFilter(
        Set<String> types, Set<String> kinds, Set<String> clusters, Set<String> owners, String requestId) {

    public static EventFilter of(
            List<String> types, List<String> kinds, List<String> clusters, List<String> owners, String requestId) {
        return new EventFilter(split(types), split(kinds), split(clusters), split(owners), requestId);
    }

    /** Accepts repeated parameters and comma-separated lists alike. */
    private static Set<String> split(List<String> values) {
        return values == null
                ? Set.of()
                : values.stream()
                        .flatMap(v -> List.of(v.split(",")).stream())
                        .map(String::trim)
                        .filter(v -> !v.isEmpty())
                        .collect(Collectors.toSet());
    }

    public boolean matches(String type, JsonNode data) {
        JsonNode resource = data.path("resource");
        return any(types, type)
                && any(kinds, resource.path("kind").asText().toLowerCase(Locale.ROOT))
                // an instance is a cluster: cluster=x matches instance x's own events and those of its topics
                && any(
                        clusters,
                        resource.has("cluster")
                                ? resource.path("cluster").asText()
                                : resource.path("name").asText())
                && any(owners, owner(data))
                && (requestId == null || requestId.equals(data.path("requestId").asText()));
    }

    /**
     * A request's owner is in its spec (topic), instance or user; the notifier's own events and approval requests
     * carry it at the top.
     */
    public static String owner(JsonNode data) {
        if (data.has("instance")) {
            return data.path("instance").path("owner").asText();
        }
        if (data.has("user")) {
            return data.path("user").path("owner").asText();
        }
        return data.has("spec")
                ? data.path("spec").path("owner").asText()
                : data.path("owner").asText();
    }

    private static boolean any(Set<String> wanted, String value) {
        return wanted.isEmpty() || wanted.contains(value);
    }
}
