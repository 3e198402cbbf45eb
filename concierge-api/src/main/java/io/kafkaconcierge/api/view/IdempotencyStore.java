package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.RequestCommand;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Idempotency-Keys used on this API, each scoped to its caller: what {@code concierge.requests} says (every
 * command carries the key it was accepted under) plus the keys this replica reserved for requests it is still
 * writing. A retry of a key whose request is still being written is not told "accepted" before the write is known
 * to have succeeded. Its own lock: intake asks it on every POST, apart from the view's projections.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** An Idempotency-Key as first used. */
    public record Entry(String requestId, String requestHash, Instant acceptedAt) {}

    private final Map<String, Entry> firstUse = new HashMap<>();
    /**
     * Keys reserved by this replica whose request is still being written: a retry must not be told "accepted" for
     * a request whose write may yet fail.
     */
    private final Map<String, String> pending = new HashMap<>();

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
        firstUse.putIfAbsent(key, new Entry(command.requestId(), command.requestHash(), command.acceptedAt()));
        pending.remove(key, command.requestId());
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
        firstUse.put(key, new Entry(requestId, requestHash, now));
        pending.put(key, requestId);
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
