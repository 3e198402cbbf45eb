package io.kafkaconcierge.notifier.subscription;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.messaging.NotifierProducer;
import io.kafkaconcierge.notifier.subscription.Subscription.Channel;
import io.kafkaconcierge.notifier.subscription.Subscription.Filter;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every subscription, as every replica sees it: the compacted topic {@code concierge.subscriptions} read whole from
 * the beginning for as long as the notifier runs, plus the subscriptions made from configuration (the webhook of
 * NOTIFIER_WEBHOOK_URL, the e-mail to NOTIFIER_EMAIL_TO). A write returns once this replica has read it back, so a
 * client that gets 201 and then asks the same replica sees its subscription; other replicas see it within the
 * time they take to read one record.
 */
@ApplicationScoped
public class SubscriptionStore {

    /** The ids of the configured subscriptions; their consumer groups are those the notifier always had. */
    public static final String DEFAULT_WEBHOOK = "default-webhook";

    public static final String DEFAULT_EMAIL = "default-email";

    private final Map<String, Subscription> stored = new ConcurrentHashMap<>();
    private final Map<String, Subscription> configured = new ConcurrentHashMap<>();
    private final List<Consumer<Subscription>> listeners = new CopyOnWriteArrayList<>();
    private final NotifierProducer producer;
    private final SecretBox secrets;
    private final TopicTail tail;
    private final Object progress = new Object();
    private long applied = -1;

    public SubscriptionStore(KafkaSettings kafka, NotifierConfig config, NotifierProducer producer) {
        this.producer = producer;
        this.secrets = new SecretBox(config.subscriptions().secretKey());
        this.tail = new TopicTail(
                "notifier-subscriptions",
                kafka.clientSettings(),
                List.of(ConciergeTopics.SUBSCRIPTIONS),
                TopicTail.StartAt.BEGINNING,
                this::apply);
        Instant now = Instant.now();
        config.webhook().url().ifPresent(url -> {
            String secret = config.webhook()
                    .secret()
                    .orElseThrow(() ->
                            new IllegalStateException("NOTIFIER_WEBHOOK_SECRET is required with NOTIFIER_WEBHOOK_URL"));
            new io.kafkaconcierge.notifier.delivery.WebhookSigner(secret); // refuses a malformed secret at start
            String problem = SubscriptionValidator.urlProblem(
                    url, true, io.kafkaconcierge.notifier.delivery.WebhookAddresses.of(config.webhook()));
            if (problem != null) {
                throw new IllegalStateException("NOTIFIER_WEBHOOK_URL " + problem + ": " + url
                        + " (notifier.webhook.allow-loopback and notifier.webhook.allow-private-networks allow those)");
            }
            configured.put(
                    DEFAULT_WEBHOOK,
                    new Subscription(
                            DEFAULT_WEBHOOK,
                            "platform",
                            "NOTIFIER_WEBHOOK_URL: every event",
                            Filter.ANY,
                            Channel.WEBHOOK,
                            url,
                            null,
                            List.of(new Subscription.Secret("plain:" + secret, now, null)),
                            Subscription.ACTIVE,
                            null,
                            null,
                            null,
                            now,
                            now,
                            true));
        });
        config.email()
                .to()
                .filter(to -> !to.isEmpty())
                .ifPresent(to -> configured.put(
                        DEFAULT_EMAIL,
                        new Subscription(
                                DEFAULT_EMAIL,
                                "platform",
                                "NOTIFIER_EMAIL_TO: " + config.email().types(),
                                new Filter(config.email().types(), null, null, null),
                                Channel.EMAIL,
                                null,
                                List.copyOf(to),
                                null,
                                Subscription.ACTIVE,
                                null,
                                null,
                                null,
                                now,
                                now,
                                true)));
        if (!secrets.encrypts()
                && io.quarkus.runtime.configuration.ConfigUtils.getProfiles().contains("prod")) {
            throw new IllegalStateException("notifier.subscriptions.secret-key (NOTIFIER_SUBSCRIPTIONS_SECRET_KEY) is "
                    + "required in production: without it webhook secrets would be stored on "
                    + ConciergeTopics.SUBSCRIPTIONS + " unencrypted. Make one with: head -c 32 /dev/urandom | base64");
        }
        if (!secrets.encrypts()) {
            Log.warn("notifier.subscriptions.secret-key is not set: webhook secrets are stored on "
                    + ConciergeTopics.SUBSCRIPTIONS + " unencrypted");
        }
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        tail.stop();
    }

    /** Called with every subscription as it is read (and with the configured ones once caught up). */
    public void onChange(Consumer<Subscription> listener) {
        listeners.add(listener);
    }

    public boolean caughtUp() {
        return tail.caughtUp();
    }

    public String problem() {
        return tail.problem();
    }

    public void awaitCaughtUp() throws InterruptedException {
        tail.awaitCaughtUp();
    }

    public SecretBox secrets() {
        return secrets;
    }

    public Optional<Subscription> get(String id) {
        Subscription s = configured.get(id);
        return Optional.ofNullable(s != null ? s : stored.get(id));
    }

    /** Every subscription: configured first, then stored by creation. */
    public List<Subscription> all() {
        List<Subscription> all = new ArrayList<>(configured.values());
        stored.values().stream()
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt()))
                .forEach(all::add);
        return all;
    }

    public Collection<Subscription> configured() {
        return configured.values();
    }

    public int storedCount() {
        return stored.size();
    }

    /** Writes a subscription (acks=all) and waits until this replica has read it back. */
    public Subscription put(Subscription s) throws TimeoutException {
        write(s.id(), new String(Json.write(s), StandardCharsets.UTF_8));
        return s;
    }

    /** Writes the tombstone of a subscription and waits until this replica has read it back. */
    public void delete(String id) throws TimeoutException {
        write(id, null);
    }

    private void write(String id, String value) throws TimeoutException {
        long offset;
        try {
            offset = producer.send(ConciergeTopics.SUBSCRIPTIONS, id, value)
                    .get(15, TimeUnit.SECONDS)
                    .offset();
        } catch (ExecutionException e) {
            throw new TimeoutException(
                    "Kafka did not take the subscription: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (progress) {
            while (applied < offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the subscription was written but not read back in time");
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted");
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                Subscription gone = stored.remove(record.key());
                if (gone != null) {
                    notifyListeners(gone.withState("DELETED", null, null, Instant.now()));
                }
            } else {
                Subscription s = Json.read(record.value(), Subscription.class);
                stored.put(s.id(), s);
                notifyListeners(s);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "unreadable subscription record " + record.key() + ": " + e.getMessage(), e);
        } finally {
            synchronized (progress) {
                applied = record.offset();
                progress.notifyAll();
            }
        }
    }

    private void notifyListeners(Subscription s) {
        for (Consumer<Subscription> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                Log.errorf(e, "a listener failed on subscription %s", s.id());
            }
        }
    }
}
