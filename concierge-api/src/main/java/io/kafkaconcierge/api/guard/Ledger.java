package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.GovernanceRecord.Outcome;
import io.kafkaconcierge.api.guard.LedgerState.Charge;
import io.kafkaconcierge.api.guard.LedgerState.Entry;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ledger of quotas and approvals on {@code concierge.ledger}, keyed by team so that each team's records are in
 * one partition, in one order, for every replica. See DESIGN.md.
 */
@ApplicationScoped
public class Ledger {

    private final LedgerState state;
    private final DecisionLog log;

    public Ledger(ApiConfig config, KafkaSettings kafka) {
        this.state = new LedgerState(
                config.guard().ledger().closedKept(), config.guard().ledger().closedWindow());
        this.log = new DecisionLog(
                "concierge-ledger",
                ConciergeTopics.LEDGER,
                kafka,
                config.guard().decisionTimeout(),
                this::apply);
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
            state.apply(Json.read(record.value(), LedgerRecord.class));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable ledger record: " + e.getMessage(), e);
        }
    }

    /** Writes a reservation and answers how the fold decided it. */
    Uni<Entry> reserve(LedgerRecord.Reserve reserve) {
        return log.append(reserve.team(), reserve)
                .onItem()
                .transform(position -> state.entry(reserve.requestId())
                        .orElseThrow(
                                () -> new IllegalStateException("no decision for reservation " + reserve.requestId())));
    }

    Uni<Outcome> approve(String team, LedgerRecord.Approve approve) {
        return log.append(team, approve)
                .onItem()
                .transform(p -> state.outcome(approve.id()).orElseThrow());
    }

    Uni<Outcome> reject(String team, LedgerRecord.Reject reject) {
        return log.append(team, reject)
                .onItem()
                .transform(p -> state.outcome(reject.id()).orElseThrow());
    }

    /** Writes a timeout decision; answers whether it is the one that counts (the first of its request). */
    Uni<Boolean> timeout(LedgerRecord.Timeout timeout) {
        return log.append(timeout.team(), timeout)
                .onItem()
                .transform(p -> state.timeout(timeout.requestId())
                        .map(first -> first.id().equals(timeout.id()))
                        .orElse(false));
    }

    Optional<LedgerRecord.Timeout> timeoutOf(String requestId) {
        return state.timeout(requestId);
    }

    /** Writes a record whose outcome the writer need not wait for (settles, expiries, releases). */
    Uni<Void> write(String team, LedgerRecord record) {
        return log.append(team, record).replaceWithVoid();
    }

    public Usage usage(String team) {
        return state.usage(team);
    }

    Usage charged(String team) {
        return state.charged(team);
    }

    Optional<Entry> entry(String requestId) {
        return state.entry(requestId);
    }

    Optional<Charge> charge(String team, String resource) {
        return state.charge(team, resource);
    }

    Map<String, List<String>> chargedResources() {
        return state.chargedResources();
    }

    List<Entry> open() {
        return state.open();
    }

    List<Entry> decidedAgainst() {
        return state.decidedAgainst();
    }
}
