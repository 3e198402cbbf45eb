package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.view.AuditView;
import io.kafkaconcierge.api.view.RequestView.Page;
import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Who did what: admins see every team's records, members their own team's. */
@ApplicationScoped
public class AuditService {

    private final AuditView view;
    private final Callers callers;
    private final ApiConfig config;

    public AuditService(AuditView view, Callers callers, ApiConfig config) {
        this.view = view;
        this.callers = callers;
        this.config = config;
    }

    public Page<AuditRecord> query(
            String team, String subject, String type, String from, String to, int page, int size) {
        Caller caller = callers.current();
        if (page < 0 || size < 1 || size > config.maxPageSize()) {
            throw ProblemException.validation(List.of(
                    new FieldError("page/size", "page must be 0 or more, size from 1 to " + config.maxPageSize())));
        }
        Predicate<AuditRecord> filter = AuditView.between(instant("from", from), instant("to", to));
        if (team != null) {
            if (!caller.actsFor(team)) {
                throw Callers.forbidden(
                        caller.name() + " may read the audit of their own teams only: " + caller.teams());
            }
            filter = filter.and(r -> team.equals(r.team()));
        } else if (!caller.admin()) {
            filter = filter.and(r -> caller.teams().contains(r.team()));
        }
        if (subject != null) {
            filter = filter.and(r -> subject.equals(r.subject()) || subject.equals(r.name()));
        }
        if (type != null) {
            String t = type.toLowerCase(Locale.ROOT);
            // an action (topic.create), a kind of action (topic), or a decision (refused)
            filter = filter.and(r -> r.action().equals(t)
                    || r.action().startsWith(t + ".")
                    || r.decision().name().equalsIgnoreCase(t));
        }
        if (!view.caughtUp()) {
            throw ProblemException.unavailable("The API is still reading the audit from Kafka", 5);
        }
        return view.query(filter, page, size);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(
                    List.of(new FieldError(field, "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z")));
        }
    }
}
