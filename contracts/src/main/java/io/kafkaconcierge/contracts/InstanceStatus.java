package io.kafkaconcierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What the backend reports of an instance, carried by instance events.
 *
 * @param backend      {@code local} or {@code strimzi}
 * @param kafkaVersion the version it runs
 * @param readyBrokers how many brokers answered the last check
 * @param listeners    where clients connect, per listener (set once READY)
 * @param conditions   Kubernetes-style conditions ({@code Ready}, {@code NotReady}, ...)
 */
public record InstanceStatus(
        String backend,
        String kafkaVersion,
        int readyBrokers,
        List<ListenerAddress> listeners,
        List<Condition> conditions) {

    public InstanceStatus {
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /**
     * A listener's bootstrap servers, {@code host:port,host:port}, and, on a listener that authenticates clients, how
     * to: {@code securityProtocol} ({@code SASL_PLAINTEXT}), {@code saslMechanism} ({@code SCRAM-SHA-512}) and
     * {@code saslJaasConfig}, a template with {@code <username>} and {@code <password>} to put a user's own in (never
     * a password). All three absent: {@code PLAINTEXT}, no authentication.
     */
    public record ListenerAddress(
            String name,
            String bootstrapServers,
            String securityProtocol,
            String saslMechanism,
            String saslJaasConfig) {

        public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
        public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
        /** The JAAS line of a SCRAM user, with placeholders where the user's name and password go. */
        public static final String SCRAM_JAAS_TEMPLATE = "org.apache.kafka.common.security.scram.ScramLoginModule "
                + "required username=\"<username>\" password=\"<password>\";";

        public ListenerAddress(String name, String bootstrapServers) {
            this(name, bootstrapServers, null, null, null);
        }

        /** A listener where clients log in with SASL/SCRAM-SHA-512. */
        public static ListenerAddress scram(String name, String bootstrapServers) {
            return new ListenerAddress(name, bootstrapServers, SASL_PLAINTEXT, SCRAM_SHA_512, SCRAM_JAAS_TEMPLATE);
        }
    }

    /** As in Kubernetes: {@code status} is {@code True}, {@code False} or {@code Unknown}. */
    public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {}

    /** The bootstrap servers of the first listener, or null before there are any. */
    public String bootstrapServers() {
        return listeners.isEmpty() ? null : listeners.get(0).bootstrapServers();
    }
}
