package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.contracts.Requester;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A team's claim on the names under a prefix, for one type of resource. A prefix ends with a delimiter
 * ({@code .}, {@code -} or {@code _}). Kafka's metrics turn {@code .} into {@code _}, so {@code a.b} and {@code a_b}
 * collide there: claims are compared with the two treated as the same.
 */
public record Claim(String team, String resourceType, String prefix, Requester grantedBy, Instant grantedAt) {

    public static final String TOPIC = "topic";
    public static final String GROUP = "group";
    public static final String TRANSACTIONAL_ID = "transactional-id";
    /** Kafka users (service accounts): their SCRAM user names. */
    public static final String USER = "user";

    public static final List<String> TYPES = List.of(TOPIC, GROUP, TRANSACTIONAL_ID, USER);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}[._-]");

    /** What is wrong with a prefix, or null. */
    public static String problem(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "is required";
        }
        if (!PREFIX.matcher(prefix).matches()) {
            return "must be 2 to 201 of the characters a-z, A-Z, 0-9, '.', '_' and '-', ending with '.', '-' or '_'";
        }
        return null;
    }

    /** The form in which two prefixes are compared: {@code .} as {@code _}. */
    static String normalized(String prefix) {
        return prefix.replace('.', '_');
    }

    /** Whether one of the two prefixes covers names of the other. */
    static boolean overlap(String a, String b) {
        String na = normalized(a);
        String nb = normalized(b);
        return na.startsWith(nb) || nb.startsWith(na);
    }

    /** Whether {@code name} is under this claim (the name compared as Kafka's metrics see it). */
    public boolean covers(String name) {
        return normalized(name).startsWith(normalized(prefix));
    }
}
