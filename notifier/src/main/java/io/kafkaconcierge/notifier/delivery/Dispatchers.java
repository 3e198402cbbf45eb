package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;
import io.kafkaconcierge.security.KafkaSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the {@link Dispatcher}s of each active subscription in this replica ({@code consumers-per-subscription} of
 * them, members of the subscription's group, so its partitions are delivered in parallel and each in order):
 * started once the subscriptions are read, then as they change; a dispatcher that died is started again within
 * 5 s.
 */
@ApplicationScoped
public class Dispatchers {

    private final SubscriptionStore store;
    private final EventDelivery delivery;
    private final Map<String, Object> kafka;
    private final Map<String, List<Dispatcher>> running = new ConcurrentHashMap<>();
    private final int perSubscription;
    private final MeterRegistry registry;
    private final Map<String, Gauge> lagGauges = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean stopping;
    private static final Duration SUPERVISE_EVERY = Duration.ofSeconds(5);
    private long lastRound;

    public Dispatchers(
            SubscriptionStore store,
            EventDelivery delivery,
            KafkaSettings kafka,
            MeterRegistry registry,
            NotifierConfig config) {
        this.perSubscription = config.subscriptions().consumersPerSubscription();
        this.registry = registry;
        this.store = store;
        this.delivery = delivery;
        this.kafka = kafka.clientSettings();
        // registered here, at start, with a strong reference: not when the first delivery creates EventDelivery
        Gauge.builder("concierge_webhook_pending_retries", delivery, EventDelivery::pendingRetries)
                .description("Deliveries waiting for their next attempt")
                .strongReference(true)
                .register(registry);
        EventDelivery.latency(registry, Subscription.Channel.WEBHOOK);
        EventDelivery.latency(registry, Subscription.Channel.EMAIL);
        for (String state : List.of(Subscription.ACTIVE, Subscription.DISABLED)) {
            for (String channel : List.of(Subscription.Channel.WEBHOOK, Subscription.Channel.EMAIL)) {
                Gauge.builder(
                                "concierge_subscriptions",
                                () -> store.all().stream()
                                        .filter(s -> state.equals(s.state()) && channel.equals(s.channel()))
                                        .count())
                        .description("Subscriptions by state and channel")
                        .tags("state", state.toLowerCase(), "channel", channel)
                        .register(registry);
            }
        }
    }

    void onStart(@Observes StartupEvent event) {
        store.onChange(s -> {
            if (started) {
                reconcile(s);
            }
        });
    }

    /**
     * On Quarkus's scheduler: once the subscriptions are read, starts the dispatchers of every active one; then, every
     * {@link #SUPERVISE_EVERY}, starts again any that died and stops those of subscriptions no longer active.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void supervise() {
        if (stopping) {
            return;
        }
        if (!started) {
            if (!store.caughtUp()) {
                return;
            }
            started = true;
            store.all().forEach(this::reconcile);
            lastRound = System.nanoTime();
            Log.infof("delivering to %d subscription(s)", running.size());
            return;
        }
        if (System.nanoTime() - lastRound < SUPERVISE_EVERY.toNanos()) {
            return;
        }
        lastRound = System.nanoTime();
        for (Subscription s : store.all()) {
            try {
                reconcile(s);
            } catch (RuntimeException e) {
                // logged, and tried again at the next round
                Log.warnf(e, "could not start or stop the dispatchers of subscription %s", s.id());
            }
        }
    }

    /**
     * Whether this replica delivers the subscription's events of that partition of {@code concierge.events} now: the
     * one owner of what concerns them, such as a redelivery left waiting by a stopped replica.
     */
    public boolean owns(String subscriptionId, int partition) {
        return running.getOrDefault(subscriptionId, List.of()).stream().anyMatch(d -> d != null && d.owns(partition));
    }

    /** Whether every active subscription has a dispatcher running, for the readiness check. */
    public boolean ready() {
        return started;
    }

    private synchronized void reconcile(Subscription s) {
        if (stopping) {
            return;
        }
        List<Dispatcher> current = running.computeIfAbsent(s.id(), id -> new ArrayList<>());
        boolean wanted = store.get(s.id()).map(Subscription::active).orElse(false);
        if (wanted) {
            Subscription latest = store.get(s.id()).orElseThrow();
            lagGauges.computeIfAbsent(
                    s.id(),
                    id -> Gauge.builder(
                                    "concierge_subscription_lag",
                                    () -> running.getOrDefault(id, List.of()).stream()
                                            .filter(d -> d != null)
                                            .mapToLong(Dispatcher::lag)
                                            .sum())
                            .description(
                                    "Events of concierge.events this replica has yet to deliver to the subscription")
                            .tag("subscription", id)
                            .strongReference(true)
                            .register(registry));
            for (int i = 0; i < perSubscription; i++) {
                if (current.size() <= i) {
                    current.add(null);
                }
                if (current.get(i) == null || !current.get(i).alive()) {
                    Dispatcher d = new Dispatcher(latest, i, kafka, delivery);
                    current.set(i, d);
                    d.start();
                }
            }
        } else {
            running.remove(s.id());
            current.stream().filter(d -> d != null).forEach(Dispatcher::stop);
            Gauge gauge = lagGauges.remove(s.id());
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        List<Dispatcher> all = running.values().stream()
                .flatMap(List::stream)
                .filter(d -> d != null)
                .toList();
        all.forEach(Dispatcher::stop);
        for (Dispatcher d : all) {
            d.join(Duration.ofSeconds(10));
        }
    }
}
