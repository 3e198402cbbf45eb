package io.kafkaconcierge.api.guard;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.GovernanceRecord.Outcome;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Environments;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Claims, policies and quotas: the defaults from configuration, and admins' changes read from
 * {@code concierge.governance} by every replica. Changes are decided by the fold in log order, so two admins claiming
 * overlapping prefixes at once on two replicas get one claim, not two.
 */
@ApplicationScoped
public class Governance {

    /** The policy that applies, where it comes from, and its version (0: the configured default). */
    public record Effective(String scope, Policy policy, long version, String source) {}

    private final GovernanceState state = new GovernanceState();
    private final DecisionLog log;
    private final Map<String, Policy> defaults;
    private final Quota defaultQuota;

    public Governance(ApiConfig config, KafkaSettings kafka) {
        this.log = new DecisionLog(
                "concierge-governance",
                ConciergeTopics.GOVERNANCE,
                kafka,
                config.guard().decisionTimeout(),
                this::apply);
        this.defaults = loadDefaults(config.guard().policiesFile());
        var q = config.guard().quota();
        this.defaultQuota = new Quota(
                boxed(q.topics()),
                boxed(q.partitions()),
                boxed(q.storageBytes()),
                boxed(q.instances()),
                boxed(q.brokers()));
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    static Map<String, Policy> loadDefaults(Optional<String> file) {
        try (InputStream in = file.isPresent()
                ? Files.newInputStream(Path.of(file.get()))
                : Governance.class.getResourceAsStream("/guard/default-policies.json")) {
            Map<String, Policy> read = Json.MAPPER.readValue(in, new TypeReference<Map<String, Policy>>() {});
            Map<String, Policy> policies = new HashMap<>(read);
            for (String environment : Environments.ALL) {
                if (!policies.containsKey(environment)) {
                    throw new IllegalStateException("the default policies have no '" + environment + "' policy");
                }
            }
            return Map.copyOf(policies);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the default policies " + file.orElse("(built in)") + ": " + e.getMessage(), e);
        }
    }

    void onStart(@Observes StartupEvent event) {
        log.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        log.stop();
    }

    public boolean caughtUp() {
        return log.caughtUp();
    }

    public String problem() {
        return log.problem();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            state.apply(Json.read(record.value(), GovernanceRecord.class));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable governance record: " + e.getMessage(), e);
        }
    }

    /** The policy for a topic or an instance of {@code environment}, on {@code cluster} if it has its own. */
    public Effective policyFor(String environment, String cluster) {
        if (cluster != null) {
            String scope = clusterScope(cluster);
            Optional<GovernanceState.Versioned> own = state.policy(scope);
            if (own.isPresent()) {
                return new Effective(scope, own.get().policy(), own.get().version(), "cluster");
            }
        }
        return policy(environment);
    }

    /** The policy of an environment class: as an admin set it, or the default. */
    public Effective policy(String environment) {
        return state.policy(environment)
                .map(v -> new Effective(environment, v.policy(), v.version(), "set"))
                .orElseGet(() ->
                        new Effective(environment, defaults.get(environment), state.version(environment), "default"));
    }

    /** A cluster's own policy, if an admin set one. */
    public Optional<Effective> clusterPolicy(String cluster) {
        String scope = clusterScope(cluster);
        return state.policy(scope).map(v -> new Effective(scope, v.policy(), v.version(), "cluster"));
    }

    public long version(String scope) {
        return state.version(scope);
    }

    public static String clusterScope(String cluster) {
        return "cluster:" + cluster;
    }

    /** The team's quota: what an admin set, unset limits from the configured default. */
    public Quota quota(String team) {
        return state.quota(team).map(q -> q.or(defaultQuota)).orElse(defaultQuota);
    }

    public List<Claim> claims(String team) {
        return state.claims(team);
    }

    public Optional<Claim> claimOf(String resourceType, String name) {
        return state.claimOf(resourceType, name);
    }

    /** Writes a change and answers how the fold decided it (in log order, the same on every replica). */
    public Uni<Outcome> change(GovernanceRecord record) {
        return log.append("governance", record)
                .onItem()
                .transform(position -> state.outcome(record.id())
                        .orElseThrow(
                                () -> new IllegalStateException("no outcome for governance record " + record.id())));
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
