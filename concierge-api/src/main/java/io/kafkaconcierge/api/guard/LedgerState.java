package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.GovernanceRecord.Outcome;
import io.kafkaconcierge.api.guard.LedgerRecord.Approve;
import io.kafkaconcierge.api.guard.LedgerRecord.Expire;
import io.kafkaconcierge.api.guard.LedgerRecord.Reject;
import io.kafkaconcierge.api.guard.LedgerRecord.Released;
import io.kafkaconcierge.api.guard.LedgerRecord.Reserve;
import io.kafkaconcierge.api.guard.LedgerRecord.Settle;
import io.kafkaconcierge.api.guard.LedgerRecord.Timeout;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fold of {@code concierge.ledger}: a pure function of the records in partition order, so every replica that
 * has read the same records holds the same state and decided each record the same way.
 *
 * <p>It forgets what no decision reads: a reservation that is no longer open (refused, rejected, expired, closed),
 * a timeout decision and an approval's outcome, once the records' own times have passed {@code closedWindow}
 * beyond the point where it was closed (or written), or once more than {@code closedKept} of its kind are kept
 * (oldest first). Open reservations are never forgotten. Decisions read the per-team sums ({@link #usage}), which
 * forgetting does not touch; a late record naming a forgotten request finds nothing to change, as for an unknown one.
 * See guard/DESIGN.md, "What the ledger's fold forgets".
 */
final class LedgerState {

    enum State {
        /** Over quota: never counted. */
        REFUSED(false),
        /** Counted, waiting for approvers. */
        AWAITING_APPROVAL(true),
        /** Counted, its command written or to be written. */
        ACCEPTED(true),
        REJECTED(false),
        EXPIRED(false),
        /** Its request ended: the resource's charge says what it counts now. */
        CLOSED(false);

        final boolean open;

        State(boolean open) {
            this.open = open;
        }
    }

    /**
     * @param consentOf the teams this approval consented for (empty: an approver's approval only)
     */
    record Approval(Requester by, String comment, Instant at, List<String> consentOf) {}

    /** One request's reservation as decided. */
    static final class Entry {
        final Reserve reserve;
        State state;
        List<FieldError> refusal = List.of();
        final List<Approval> approvals = new ArrayList<>();
        Requester decidedBy;
        String comment;
        Instant decidedAt;
        boolean released;
        /** Approvals by one of the pending's approvers (a consent alone does not count here). */
        int approverCount;
        /** The fold's time (the latest record time) when it stopped being open; null while open. */
        Instant closedAt;

        Entry(Reserve reserve) {
            this.reserve = reserve;
        }

        /** The teams that have consented so far. */
        java.util.Set<String> consented() {
            java.util.Set<String> teams = new java.util.TreeSet<>();
            approvals.forEach(a -> teams.addAll(a.consentOf()));
            return teams;
        }

        /** Whether approvals are complete and the command still has to be written. */
        boolean approvedNotReleased() {
            return reserve.pending() != null && state == State.ACCEPTED && !released;
        }
    }

    record Charge(Usage usage, Instant asOf) {}

    private final Map<String, Entry> entries = new HashMap<>();
    /** The open reservations, kept apart: the reconciler asks for them every round, and most entries are closed. */
    private final Map<String, Entry> openEntries = new HashMap<>();
    /** The rejected and expired ones (their failed events may need repair), for the same reason. */
    private final Map<String, Entry> againstEntries = new HashMap<>();

    private final Map<String, Map<String, Charge>> charges = new HashMap<>();
    /**
     * Each team's charges summed, kept in step with {@link #charges} so that a decision reads a sum instead of
     * adding up every resource the team has (which made each request cost more the more a team owned).
     */
    private final Map<String, Usage> chargedCounts = new HashMap<>();
    /** How many of each team's charges have unbounded storage. */
    private final Map<String, Integer> unboundedCharges = new HashMap<>();

    /**
     * The entries no longer open, in the order they closed (so in order of {@link Entry#closedAt}): the ones that
     * may be forgotten, oldest first.
     */
    private final LinkedHashMap<String, Entry> closedEntries = new LinkedHashMap<>();

    /** The outcome of each approve and reject record, by record id: read by its writer right after it is applied. */
    private final LinkedHashMap<String, Kept<Outcome>> outcomes = new LinkedHashMap<>();
    /** Per team, the sum of its open reservations (see {@link #move}). */
    private final Map<String, Usage> reserved = new HashMap<>();
    /** The first timeout decision of each request id: the one that counts. */
    private final LinkedHashMap<String, Kept<Timeout>> timeouts = new LinkedHashMap<>();

    /** A value with the fold's time when it was added, for forgetting it. */
    private record Kept<V>(V value, Instant since) {}

    /** How many closed entries, timeouts and outcomes (each) are kept at most. */
    private final int closedKept;
    /** How long (in record time) a closed entry, timeout or outcome is kept at least, unless over {@link #closedKept}. */
    private final Duration closedWindow;
    /**
     * The fold's clock: the latest time a record carried ({@code at}). Only records move it, so forgetting is the
     * same on every replica that read the same records, and nothing is forgotten while nothing is written.
     */
    private Instant now = Instant.EPOCH;

    LedgerState(int closedKept, Duration closedWindow) {
        if (closedKept < 0 || closedWindow.isNegative()) {
            throw new IllegalArgumentException("closed-kept and closed-window must not be negative");
        }
        this.closedKept = closedKept;
        this.closedWindow = closedWindow;
    }

    synchronized void apply(LedgerRecord record) {
        Instant at = timeOf(record);
        if (at != null && at.isAfter(now)) {
            now = at;
        }
        decide(record);
        forget();
    }

    /** When the record was written, as its writer's clock said; null for a settle (its time is the resource's). */
    private static Instant timeOf(LedgerRecord record) {
        if (record instanceof Reserve r) {
            return r.at();
        } else if (record instanceof Approve a) {
            return a.at();
        } else if (record instanceof Reject r) {
            return r.at();
        } else if (record instanceof Expire e) {
            return e.at();
        } else if (record instanceof Released r) {
            return r.at();
        } else if (record instanceof Timeout t) {
            return t.at();
        } else if (record instanceof LedgerRecord.Release r) {
            return r.at();
        }
        return null;
    }

    /**
     * Forgets, oldest first, the closed entries, timeouts and outcomes beyond {@link #closedKept} or older than
     * {@link #closedWindow} in the fold's time. Open entries are not in {@link #closedEntries}: never forgotten.
     */
    private void forget() {
        Instant before = now.minus(closedWindow);
        for (Iterator<Entry> it = closedEntries.values().iterator(); it.hasNext(); ) {
            Entry oldest = it.next();
            if (closedEntries.size() <= closedKept && !oldest.closedAt.isBefore(before)) {
                break;
            }
            it.remove();
            String id = oldest.reserve.requestId();
            entries.remove(id);
            againstEntries.remove(id);
        }
        forget(timeouts, before);
        forget(outcomes, before);
    }

    /** The outcome of a record, the latest for its id; at the young end, to be forgotten in turn. */
    private void remember(String recordId, Outcome outcome) {
        outcomes.remove(recordId);
        outcomes.put(recordId, new Kept<>(outcome, now));
    }

    private <V> void forget(LinkedHashMap<String, Kept<V>> kept, Instant before) {
        for (Iterator<Kept<V>> it = kept.values().iterator(); it.hasNext(); ) {
            Kept<V> oldest = it.next();
            if (kept.size() <= closedKept && !oldest.since().isBefore(before)) {
                break;
            }
            it.remove();
        }
    }

    private void decide(LedgerRecord record) {
        if (record instanceof Reserve r) {
            reserve(r);
        } else if (record instanceof Approve a) {
            remember(a.id(), approve(a));
        } else if (record instanceof Reject r) {
            remember(r.id(), reject(r));
        } else if (record instanceof Expire e) {
            Entry entry = entries.get(e.requestId());
            if (entry != null && entry.state == State.AWAITING_APPROVAL) {
                move(entry, State.EXPIRED);
                entry.decidedAt = e.at();
            }
        } else if (record instanceof Released r) {
            Entry entry = entries.get(r.requestId());
            if (entry != null) {
                entry.released = true;
            }
        } else if (record instanceof Settle s) {
            settle(s);
        } else if (record instanceof Timeout t) {
            timeouts.putIfAbsent(t.requestId(), new Kept<>(t, now));
        } else if (record instanceof LedgerRecord.Release r) {
            Entry entry = entries.get(r.requestId());
            if (entry != null && entry.state.open) {
                move(entry, State.CLOSED);
            }
        }
    }

    private void reserve(Reserve r) {
        if (entries.containsKey(r.requestId())) {
            return; // a retried write: the first one decided
        }
        Entry entry = new Entry(r);
        List<FieldError> broken = r.limits().check(usage(r.team()), r.delta());
        entries.put(r.requestId(), entry);
        if (!broken.isEmpty()) {
            entry.state = State.REFUSED;
            entry.refusal = broken;
            entry.closedAt = now;
            closedEntries.put(r.requestId(), entry);
        } else {
            move(entry, r.pending() != null && r.pending().needsSomeone() ? State.AWAITING_APPROVAL : State.ACCEPTED);
        }
    }

    private Outcome approve(Approve a) {
        Entry entry = entries.get(a.requestId());
        if (entry == null || entry.state != State.AWAITING_APPROVAL) {
            return new Outcome(
                    false,
                    "the request is not waiting for approval"
                            + (entry == null ? "" : " (it is " + describe(entry.state) + ")"));
        }
        if (a.contentHash() != null
                && !a.contentHash().equals(entry.reserve.pending().contentHash())) {
            return new Outcome(
                    false,
                    "the request's content is not what this approval was given for (content hash "
                            + entry.reserve.pending().contentHash() + ")");
        }
        Requester requester = entry.reserve.pending().command().requestedBy();
        if (requester != null && requester.subject().equals(a.by().subject())) {
            return new Outcome(false, "the requester cannot approve their own request");
        }
        if (entry.approvals.stream().anyMatch(x -> x.by().subject().equals(a.by().subject()))) {
            return new Outcome(false, "already approved by " + a.by().name() + "; another approver is needed");
        }
        LedgerRecord.Pending pending = entry.reserve.pending();
        List<String> consents = a.consents().stream()
                .filter(pending.consents()::contains)
                .filter(team -> !entry.consented().contains(team))
                .toList();
        if (!a.countsAsApprover() && consents.isEmpty()) {
            return new Outcome(
                    false,
                    a.by().name() + " is neither one of the approvers (" + pending.approvers()
                            + ") nor a member of a team whose consent is still needed " + missing(entry));
        }
        entry.approvals.add(new Approval(a.by(), a.comment(), a.at(), consents));
        if (a.countsAsApprover()) {
            entry.approverCount++;
        }
        if (entry.approverCount >= pending.required() && entry.consented().containsAll(pending.consents())) {
            move(entry, State.ACCEPTED);
            entry.decidedAt = a.at();
            entry.decidedBy = a.by();
        }
        return Outcome.OK;
    }

    private static List<String> missing(Entry entry) {
        return entry.reserve.pending().consents().stream()
                .filter(t -> !entry.consented().contains(t))
                .toList();
    }

    private Outcome reject(Reject r) {
        Entry entry = entries.get(r.requestId());
        if (entry == null || entry.state != State.AWAITING_APPROVAL) {
            return new Outcome(
                    false,
                    "the request is not waiting for approval"
                            + (entry == null ? "" : " (it is " + describe(entry.state) + ")"));
        }
        move(entry, State.REJECTED);
        entry.decidedBy = r.by();
        entry.comment = r.comment();
        entry.decidedAt = r.at();
        return Outcome.OK;
    }

    private void settle(Settle s) {
        if (s.requestId() != null) {
            Entry entry = entries.get(s.requestId());
            if (entry != null && entry.state.open) {
                move(entry, State.CLOSED);
            }
        }
        Map<String, Charge> team = charges.computeIfAbsent(s.team(), t -> new HashMap<>());
        Charge current = team.get(s.resource());
        if (current != null
                && s.asOf() != null
                && current.asOf() != null
                && s.asOf().isBefore(current.asOf())) {
            return; // a late settle of an older request
        }
        if (current != null) {
            count(s.team(), current.usage(), -1);
        }
        if (s.charge() == null) {
            team.remove(s.resource());
        } else {
            team.put(s.resource(), new Charge(s.charge(), s.asOf()));
            count(s.team(), s.charge(), +1);
        }
    }

    /** Adds ({@code sign} 1) or takes away (-1) one charge from its team's sums. */
    private void count(String team, Usage charge, int sign) {
        Usage counts = new Usage(
                charge.topics(),
                charge.partitions(),
                charge.storageBytes(),
                charge.instances(),
                charge.brokers(),
                false);
        chargedCounts.merge(team, counts, sign > 0 ? Usage::plus : Usage::minus);
        if (charge.unboundedStorage()) {
            unboundedCharges.merge(team, sign, Integer::sum);
        }
    }

    private static String describe(State state) {
        return switch (state) {
            case REFUSED -> "refused";
            case AWAITING_APPROVAL -> "waiting for approval";
            case ACCEPTED -> "approved";
            case REJECTED -> "rejected";
            case EXPIRED -> "expired";
            case CLOSED -> "done";
        };
    }

    /**
     * Moves a reservation to another state, keeping its team's sum of open reservations in step: the sum is what
     * every decision reads, so it is kept rather than counted again over every reservation ever made.
     */
    private void move(Entry entry, State to) {
        boolean wasOpen = entry.state != null && entry.state.open;
        entry.state = to;
        String id = entry.reserve.requestId();
        if (to.open) {
            openEntries.put(id, entry);
        } else {
            openEntries.remove(id);
            if (entry.closedAt == null) {
                entry.closedAt = now;
                closedEntries.put(id, entry);
            }
        }
        if (to == State.REJECTED || to == State.EXPIRED) {
            againstEntries.put(id, entry);
        } else {
            againstEntries.remove(id);
        }
        if (wasOpen != to.open) {
            Usage delta = entry.reserve.delta();
            // only the counts add up; whether a request has unbounded storage is read from its own delta
            Usage counts = new Usage(
                    delta.topics(),
                    delta.partitions(),
                    delta.storageBytes(),
                    delta.instances(),
                    delta.brokers(),
                    false);
            reserved.merge(entry.reserve.team(), counts, to.open ? Usage::plus : Usage::minus);
        }
    }

    /** A team's usage: what its resources count plus every open reservation. */
    synchronized Usage usage(String team) {
        return charged(team).plus(reserved.getOrDefault(team, Usage.ZERO));
    }

    /** What the team's resources alone count (without open reservations). */
    synchronized Usage charged(String team) {
        Usage counts = chargedCounts.getOrDefault(team, Usage.ZERO);
        boolean unbounded = unboundedCharges.getOrDefault(team, 0) > 0;
        return unbounded
                ? new Usage(
                        counts.topics(),
                        counts.partitions(),
                        counts.storageBytes(),
                        counts.instances(),
                        counts.brokers(),
                        true)
                : counts;
    }

    synchronized Optional<Entry> entry(String requestId) {
        return Optional.ofNullable(entries.get(requestId));
    }

    /** The timeout decision of a request, if one was written: the first one on the ledger. */
    synchronized Optional<Timeout> timeout(String requestId) {
        return Optional.ofNullable(timeouts.get(requestId)).map(Kept::value);
    }

    synchronized Optional<Outcome> outcome(String recordId) {
        return Optional.ofNullable(outcomes.get(recordId)).map(Kept::value);
    }

    synchronized Optional<Charge> charge(String team, String resource) {
        return Optional.ofNullable(charges.getOrDefault(team, Map.of()).get(resource));
    }

    /** Every charged resource key, by team. */
    synchronized Map<String, List<String>> chargedResources() {
        Map<String, List<String>> out = new HashMap<>();
        charges.forEach((team, byResource) -> out.put(team, List.copyOf(byResource.keySet())));
        return out;
    }

    /** Open reservations (waiting or accepted), oldest first. */
    synchronized List<Entry> open() {
        return openEntries.values().stream()
                .sorted(Comparator.comparing(e -> e.reserve.at()))
                .toList();
    }

    /** How much the fold holds: what forgetting bounds (closed entries, timeouts, outcomes) and what it cannot. */
    record Sizes(int entries, int open, int closed, int timeouts, int outcomes) {}

    synchronized Sizes sizes() {
        return new Sizes(entries.size(), openEntries.size(), closedEntries.size(), timeouts.size(), outcomes.size());
    }

    /** Requests that were rejected or expired, for the events that say so. */
    synchronized List<Entry> decidedAgainst() {
        return List.copyOf(againstEntries.values());
    }
}
