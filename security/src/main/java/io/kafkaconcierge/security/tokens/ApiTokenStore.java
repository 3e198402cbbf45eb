package io.kafkaconcierge.security.tokens;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.KafkaSettings;
import io.kafkaconcierge.security.SecurityConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every API token, as every replica sees it: the compacted topic {@code concierge.tokens} read whole from the
 * beginning for as long as the service runs. A token is found by its id and checked against its stored hash; a
 * revoked one is a tombstone, gone from every replica as soon as it reads it (well under a second while Kafka is
 * up). A write returns once this replica has read it back. When a token was last used is kept per replica and
 * written at most once per {@code usage-interval} as a record keyed {@code <id>#used}.
 */
@ApplicationScoped
public class ApiTokenStore {

    private static final String USED = "#used";

    private record Usage(Instant lastUsedAt) {}

    private final Map<String, ApiToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> usage = new ConcurrentHashMap<>();
    private final Map<String, Instant> usedHere = new ConcurrentHashMap<>();
    private final TopicTail tail;
    private final KafkaProducer<String, String> producer;
    private final Object progress = new Object();
    private long applied = -1;

    public ApiTokenStore(KafkaSettings kafka, SecurityConfig config) {
        this.tail = new TopicTail(
                "api-tokens",
                kafka.clientSettings(),
                List.of(ConciergeTopics.TOKENS),
                TopicTail.StartAt.BEGINNING,
                this::apply);
        Map<String, Object> settings = new HashMap<>(kafka.clientSettings());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "concierge-tokens");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        flushUsage();
        tail.stop();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(3));
    }

    public boolean caughtUp() {
        return tail.caughtUp();
    }

    public String problem() {
        return tail.problem();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key != null && key.endsWith(USED)) {
            String id = key.substring(0, key.length() - USED.length());
            if (record.value() == null) {
                usage.remove(id);
            } else {
                Instant at = Json.read(record.value(), Usage.class).lastUsedAt();
                usage.merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
            }
        } else if (key != null) {
            if (record.value() == null) {
                tokens.remove(key);
            } else {
                try {
                    tokens.put(key, Json.read(record.value(), ApiToken.class));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("unreadable token record " + key + ": " + e.getMessage(), e);
                }
            }
        }
        synchronized (progress) {
            applied = Math.max(applied, record.offset());
            progress.notifyAll();
        }
    }

    /** The live (not expired, not revoked) token this string is, if any. */
    public Optional<ApiToken> authenticate(String token, Instant now) {
        Optional<String> id = TokenCodec.id(token);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        ApiToken stored = tokens.get(id.get());
        if (stored == null || stored.expired(now) || !TokenCodec.matches(token, stored.hash())) {
            return Optional.empty();
        }
        usedHere.put(stored.id(), now);
        return Optional.of(stored);
    }

    public List<ApiToken> ofTeam(String team) {
        return tokens.values().stream()
                .filter(t -> t.team().equals(team))
                .map(t -> t.withLastUsed(lastUsed(t.id())))
                .sorted(java.util.Comparator.comparing(ApiToken::createdAt))
                .toList();
    }

    public Optional<ApiToken> get(String id) {
        return Optional.ofNullable(tokens.get(id)).map(t -> t.withLastUsed(lastUsed(t.id())));
    }

    private Instant lastUsed(String id) {
        Instant stored = usage.get(id);
        Instant here = usedHere.get(id);
        if (stored == null) {
            return here;
        }
        return here != null && here.isAfter(stored) ? here : stored;
    }

    /** Stores a new token; returns once this replica has read it back. */
    public void put(ApiToken token) {
        write(token.id(), new String(Json.write(token), StandardCharsets.UTF_8));
    }

    /** Revokes a token; returns once this replica has read the tombstone. */
    public void revoke(String id) {
        write(id + USED, null);
        write(id, null);
        usedHere.remove(id);
    }

    private void write(String key, String value) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(ConciergeTopics.TOKENS, key, value))
                    .get(10, TimeUnit.SECONDS);
            synchronized (progress) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (applied < written.offset() && System.currentTimeMillis() < deadline) {
                    progress.wait(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while writing the token", 5);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw ProblemException.unavailable(
                    "Kafka did not take the change (" + cause.getMessage() + "); nothing was changed", 5);
        }
    }

    /** Writes when tokens were last used here, at most once per interval, for tokens that still exist. */
    @Scheduled(
            every = "${concierge.security.tokens.usage-interval:60s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushUsage() {
        Map<String, Instant> pending = new HashMap<>(usedHere);
        pending.forEach((id, at) -> {
            Instant known = usage.get(id);
            if (tokens.containsKey(id) && (known == null || at.isAfter(known))) {
                producer.send(
                        new ProducerRecord<>(
                                ConciergeTopics.TOKENS,
                                id + USED,
                                new String(Json.write(new Usage(at)), StandardCharsets.UTF_8)),
                        (metadata, failure) -> {
                            if (failure != null) { // the next round writes it again: it is still newer than known
                                io.quarkus.logging.Log.debugf(
                                        "could not record when token %s was last used: %s", id, failure.toString());
                            }
                        });
            }
        });
    }
}
