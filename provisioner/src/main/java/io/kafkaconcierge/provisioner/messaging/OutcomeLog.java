package io.kafkaconcierge.provisioner.messaging;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Which requests already have a terminal outcome on {@code concierge.events}: read from {@code dedup-window} ago at
 * start and tailed while the provisioner runs (including outcomes written by other replicas). A command redelivered
 * after a crash or a rebalance whose outcome is already out is not applied again, so it cannot produce a second,
 * contradictory outcome. Entries older than the window are forgotten.
 */
@ApplicationScoped
public class OutcomeLog {

    private final Map<String, Long> terminal = new ConcurrentHashMap<>();
    private final Duration window;
    private final TopicTail tail;
    private volatile long lastEviction = System.currentTimeMillis();

    public OutcomeLog(@Identifier("default-kafka-broker") Map<String, Object> kafka, ProvisionerConfig config) {
        this.window = config.dedupWindow();
        this.tail = new TopicTail(
                "provisioner-outcome-log",
                ClientSettings.of(kafka),
                List.of(ConciergeTopics.EVENTS),
                TopicTail.StartAt.since(window),
                this::read);
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        tail.stop();
    }

    public boolean isTerminal(String requestId) {
        return terminal.containsKey(requestId);
    }

    public void record(String requestId) {
        terminal.put(requestId, System.currentTimeMillis());
    }

    public boolean caughtUp() {
        return tail.caughtUp();
    }

    /** Blocks until the outcomes of the window are read, so that no redelivered command slips through at start. */
    public void awaitCaughtUp() throws InterruptedException {
        tail.awaitCaughtUp();
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        String id = header(r, CloudEvents.H_ID);
        String type = header(r, CloudEvents.H_TYPE);
        if (id != null && CloudEvents.isRequestType(type)) {
            for (RequestState s : RequestState.values()) {
                if (s.terminal() && type.endsWith("." + s.segment()) && id.endsWith("." + s.segment())) {
                    terminal.put(id.substring(0, id.length() - s.segment().length() - 1), r.timestamp());
                }
            }
        }
        long now = System.currentTimeMillis();
        if (now - lastEviction > 60_000) {
            terminal.values().removeIf(t -> t < now - window.toMillis());
            lastEviction = now;
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
