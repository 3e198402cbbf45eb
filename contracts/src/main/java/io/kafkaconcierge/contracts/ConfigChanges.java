package io.kafkaconcierge.contracts;

import java.util.Map;
import java.util.TreeMap;

/** How a change's configs apply to a spec's: set the ones given, and a {@code null} value returns one to default. */
final class ConfigChanges {

    private ConfigChanges() {}

    static Map<String, String> apply(Map<String, String> current, Map<String, String> change) {
        Map<String, String> merged = new TreeMap<>(current);
        if (change != null) {
            change.forEach((k, v) -> {
                if (v == null) {
                    merged.remove(k);
                } else {
                    merged.put(k, v);
                }
            });
        }
        return merged;
    }
}
