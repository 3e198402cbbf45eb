package io.kafkaconcierge.contracts;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dedicated Kafka instance as asked for. {@code config} holds only the broker configs the requester set; the rest
 * is the backend's default.
 *
 * @param name               DNS-1123 label: it becomes process folders and Kubernetes object names
 * @param owner              the team that owns it
 * @param brokers            how many brokers
 * @param kafkaVersion       one of the versions the backend supports
 * @param config             broker configs from the allow-list
 * @param storage            ephemeral, or persistent with a size
 * @param listeners          how clients connect
 * @param resources          CPU and memory requests and limits (Kubernetes only); may be null
 * @param deletionProtection while true, a DELETE is refused
 * @param description        what it is for
 * @param environment        the environment class ({@link Environments}) whose policy applies to it and its topics;
 *                           {@code dev} when not asked
 * @param security           how its brokers authenticate and authorise clients; null: plaintext, no authorizer (as
 *                           before the field existed)
 */
public record InstanceSpec(
        String name,
        String owner,
        int brokers,
        String kafkaVersion,
        Map<String, String> config,
        Storage storage,
        List<Listener> listeners,
        Resources resources,
        boolean deletionProtection,
        String description,
        String environment,
        Security security) {

    public InstanceSpec(
            String name,
            String owner,
            int brokers,
            String kafkaVersion,
            Map<String, String> config,
            Storage storage,
            List<Listener> listeners,
            Resources resources,
            boolean deletionProtection,
            String description,
            String environment) {
        this(
                name,
                owner,
                brokers,
                kafkaVersion,
                config,
                storage,
                listeners,
                resources,
                deletionProtection,
                description,
                environment,
                null);
    }

    public InstanceSpec(
            String name,
            String owner,
            int brokers,
            String kafkaVersion,
            Map<String, String> config,
            Storage storage,
            List<Listener> listeners,
            Resources resources,
            boolean deletionProtection,
            String description) {
        this(
                name,
                owner,
                brokers,
                kafkaVersion,
                config,
                storage,
                listeners,
                resources,
                deletionProtection,
                description,
                null);
    }

    /** {@code type} is {@code ephemeral} or {@code persistent}; {@code size} (e.g. {@code 10Gi}) for persistent. */
    public record Storage(String type, String size) {
        public static final String EPHEMERAL = "ephemeral";
        public static final String PERSISTENT = "persistent";
    }

    /**
     * One way in: {@code type} is {@code internal} (inside the backend's network) or {@code external}; {@code port}
     * is the listener's port on Kubernetes (the local backend picks free ports).
     */
    public record Listener(String name, int port, String type, boolean tls) {
        public static final String INTERNAL = "internal";
        public static final String EXTERNAL = "external";
    }

    /**
     * Security of the instance's client listeners: {@code authentication} {@code scram-sha-512} (SASL/SCRAM-SHA-512
     * on every client listener); {@code authorization} true: {@code StandardAuthorizer} on every node with
     * {@code allow.everyone.if.no.acl.found=false}, so a client may do only what ACLs (a user's grants) allow.
     */
    public record Security(String authentication, boolean authorization) {
        public static final String SCRAM_SHA_512 = "scram-sha-512";
        /** The authentication values there are. */
        public static final List<String> AUTHENTICATIONS = List.of(SCRAM_SHA_512);

        /** Whether clients authenticate with SASL/SCRAM-SHA-512. */
        public boolean scram() {
            return SCRAM_SHA_512.equals(authentication);
        }
    }

    /** Kubernetes resource requests and limits by resource name ({@code cpu}, {@code memory}). */
    public record Resources(Map<String, String> requests, Map<String, String> limits) {}

    public InstanceSpec {
        config = config == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(config));
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        environment = environment == null ? Environments.DEV : environment;
    }

    /** Whether clients must authenticate (a SASL listener) to reach it. */
    public boolean secured() {
        return security != null && security.scram();
    }

    public ResourceRef ref() {
        return ResourceRef.instance(name);
    }

    /** The spec after a change: brokers added, configs set ({@code null} value: back to default). */
    public InstanceSpec apply(InstanceChange change) {
        Map<String, String> merged = ConfigChanges.apply(config, change.config());
        return new InstanceSpec(
                name,
                owner,
                change.brokers() == null ? brokers : change.brokers(),
                kafkaVersion,
                merged,
                storage,
                listeners,
                resources,
                change.deletionProtection() == null ? deletionProtection : change.deletionProtection(),
                change.description() == null ? description : change.description(),
                environment,
                security);
    }
}
