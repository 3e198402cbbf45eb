package io.kafkaconcierge.api.view;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.view.RequestView.Page;
import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The newest audit records ({@code concierge.api.audit.kept} of them), read from {@code concierge.audit} by every
 * replica, newest first. Older ones stay on the topic (kept 400 days) for a SIEM to read; this is the recent history
 * people ask about.
 */
@ApplicationScoped
public class AuditView {

    private static final int MAX_WORDS = 50_000;

    private final TreeSet<AuditRecord> records = new TreeSet<>(Comparator.comparing(AuditRecord::time)
            .thenComparing(AuditRecord::id)
            .reversed());
    private final Set<String> ids = new HashSet<>();
    /**
     * One copy of each team, subject, action and the like: they repeat from record to record, and a record read
     * from JSON brings its own copies (most of an audit record's heap, with 100,000 records kept).
     */
    private final Map<String, String> words = new HashMap<>();

    private final int kept;
    private final TopicTail tail;

    public AuditView(KafkaSettings kafka, ApiConfig config) {
        this.kept = config.audit().kept();
        this.tail = new TopicTail(
                "audit-view",
                kafka.clientSettings(),
                List.of(ConciergeTopics.AUDIT),
                TopicTail.StartAt.since(config.audit().window()),
                this::apply);
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        tail.stop();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        AuditRecord audit;
        try {
            audit = Json.read(record.value(), AuditRecord.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable audit record: " + e.getMessage(), e);
        }
        synchronized (this) {
            if (audit.id() == null || audit.time() == null || !ids.add(audit.id())) {
                return;
            }
            records.add(shared(audit));
            while (records.size() > kept) {
                ids.remove(records.pollLast().id());
            }
        }
    }

    /** The record with its repeating words shared with the records before it. */
    private AuditRecord shared(AuditRecord r) {
        if (words.size() > MAX_WORDS) {
            words.clear(); // many distinct ones (names of people, say): start sharing afresh
        }
        return new AuditRecord(
                r.id(),
                r.time(),
                word(r.team()),
                word(r.subject()),
                word(r.name()),
                word(r.tokenName()),
                word(r.action()),
                r.decision(),
                word(r.reason()),
                r.detail(),
                r.status(),
                r.requestId(),
                word(r.resource()),
                word(r.service()));
    }

    private String word(String s) {
        return s == null ? null : words.computeIfAbsent(s, w -> w);
    }

    public boolean caughtUp() {
        return tail.caughtUp();
    }

    public synchronized Page<AuditRecord> query(Predicate<AuditRecord> filter, int page, int size) {
        List<AuditRecord> all = new ArrayList<>();
        for (AuditRecord r : records) {
            if (filter.test(r)) {
                all.add(r);
            }
        }
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
    }

    /** Records in a time range: {@code from} inclusive, {@code to} exclusive; either may be null. */
    public static Predicate<AuditRecord> between(Instant from, Instant to) {
        return r -> (from == null || !r.time().isBefore(from))
                && (to == null || r.time().isBefore(to));
    }
}
