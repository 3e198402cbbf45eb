package io.kafkaconcierge.api.view;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.contracts.RequestCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Idempotency-Keys used on this API, each scoped to its caller: what {@code concierge.requests} says (every
 * command carries the key it was accepted under) plus the keys this replica reserved for requests it is still
 * writing. A retry of a key whose request is still being written is not told "accepted" before the write is known
 * to have succeeded. Its own lock: intake asks it on every POST, apart from the view's projections.
 *
 * <p>A key is forgotten once its first use is older than the retention ({@code concierge.api.idempotency-retention})
 * as the latest time it was told (a command's acceptance, a reservation's {@code now}: no clock of its own), and,
 * beyond {@code concierge.api.idempotency-kept} keys, the oldest are forgotten early. A key still being written is
 * never forgotten.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** An Idempotency-Key as first used. */
    public record Entry(String requestId, String requestHash, Instant acceptedAt) {}

    /** Each key's first use, in the order they were first used (oldest first): the eldest go first. */
    private final LinkedHashMap<String, Entry> firstUse = new LinkedHashMap<>();
    /**
     * Keys reserved by this replica whose request is still being written: a retry must not be told "accepted" for
     * a request whose write may yet fail.
     */
    private final Map<String, String> pending = new HashMap<>();

    private final Duration retention;
    private final int kept;
    /** The latest time the store was told: a key first used at or before it minus the retention is over. */
    private Instant latest = Instant.EPOCH;

    @Inject
    public IdempotencyStore(ApiConfig config) {
        this(config.idempotencyRetention(), config.idempotencyKept());
    }

    IdempotencyStore(Duration retention, int kept) {
        if (retention.isNegative() || kept < 0) {
            throw new IllegalArgumentException("idempotency-retention and idempotency-kept must not be negative");
        }
        this.retention = retention;
        this.kept = kept;
    }

    /** An Idempotency-Key as the store keeps it: one caller's keys are not another's. */
    public static String scope(String subject, String key) {
        return subject + "\u0000" + key;
    }

    /** A command read from {@code concierge.requests}: its key's first use, and the end of this replica's wait. */
    public synchronized void applyCommand(RequestCommand command) {
        if (command.idempotencyKey() == null) {
            return;
        }
        String key = command.requestedBy() == null
                ? command.idempotencyKey()
                : scope(command.requestedBy().subject(), command.idempotencyKey());
        Entry existing = firstUse.get(key);
        if (existing == null || over(existing, command.acceptedAt())) {
            // a key used again after its retention: this is its first use now, at the young end
            firstUse.remove(key);
            firstUse.put(key, new Entry(command.requestId(), command.requestHash(), command.acceptedAt()));
        }
        pending.remove(key, command.requestId());
        forget(command.acceptedAt());
    }

    /** Whether a first use is past the retention at {@code now} (one without a time always is). */
    private boolean over(Entry first, Instant now) {
        return first.acceptedAt() == null
                || (now != null && !first.acceptedAt().plus(retention).isAfter(now));
    }

    /**
     * Forgets, eldest first, the keys past the retention at the latest time told, and the eldest beyond
     * {@link #kept}; never a key still being written.
     */
    private void forget(Instant now) {
        if (now != null && now.isAfter(latest)) {
            latest = now;
        }
        for (Iterator<Map.Entry<String, Entry>> it = firstUse.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> eldest = it.next();
            if (firstUse.size() <= kept && !over(eldest.getValue(), latest)) {
                break;
            }
            if (!pending.containsKey(eldest.getKey())) {
                it.remove();
            }
        }
    }

    /** How many keys are remembered. */
    synchronized int size() {
        return firstUse.size();
    }

    /** The first use of a key, if it was used within {@code retention}. */
    public synchronized Optional<Entry> entry(String key, Instant now, Duration retention) {
        Entry existing = firstUse.get(key);
        return existing != null && existing.acceptedAt().plus(retention).isAfter(now)
                ? Optional.of(existing)
                : Optional.empty();
    }

    /**
     * Remembers {@code key} for a new request unless it was used within {@code retention}: then the first use is
     * returned and nothing is reserved.
     */
    public synchronized Optional<Entry> reserve(
            String key, String requestHash, String requestId, Instant now, Duration retention) {
        Optional<Entry> existing = entry(key, now, retention);
        if (existing.isPresent()) {
            return existing;
        }
        firstUse.remove(key); // one past its retention: used again now, at the young end
        firstUse.put(key, new Entry(requestId, requestHash, now));
        pending.put(key, requestId);
        forget(now);
        return Optional.empty();
    }

    /** Whether the request a key was reserved for is still being written (its outcome not known yet). */
    public synchronized boolean pending(String key, String requestId) {
        return requestId.equals(pending.get(key));
    }

    /** The request a key was reserved for is durably written (or waits for approval on the ledger). */
    public synchronized void settled(String key, String requestId) {
        pending.remove(key, requestId);
    }

    /** Forgets a reservation whose command could not be written. */
    public synchronized void release(String key, String requestId) {
        firstUse.computeIfPresent(key, (k, v) -> v.requestId().equals(requestId) ? null : v);
        pending.remove(key, requestId);
    }
}
