package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestStatus;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.RequestView.Page;
import io.kafkaconcierge.api.view.TopicStatus;
import io.kafkaconcierge.api.view.UserStatus;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Answers status questions from the request view. */
@ApplicationScoped
public class StatusService {

    private final RequestView view;
    private final ApiConfig config;
    private final Callers callers;

    public StatusService(RequestView view, ApiConfig config, Callers callers) {
        this.view = view;
        this.config = config;
        this.callers = callers;
    }

    public RequestStatus request(String requestId) {
        return view.request(requestId)
                .filter(r -> callers.visible(r.owner()))
                .orElseThrow(() -> ProblemException.notFound("No request with id '" + requestId
                        + "' (superseded requests are kept up to concierge.api.view.requests-kept, at most"
                        + " concierge.api.view.window)"));
    }

    public UserStatus user(String cluster, String name) {
        return view.user(cluster, name)
                .filter(u -> callers.visible(u.owner()))
                .orElseThrow(() -> ProblemException.notFound(
                        "The concierge has no user '" + name + "' on cluster '" + cluster + "'"));
    }

    public Page<UserStatus> users(String cluster, String owner, String state, int page, int size) {
        checkPage(page, size);
        Caller caller = callers.current();
        Predicate<UserStatus> filter = u -> caller.actsFor(u.owner());
        if (cluster != null) {
            filter = filter.and(u -> cluster.equals(u.cluster()));
        }
        if (owner != null) {
            filter = filter.and(u -> owner.equals(u.owner()));
        }
        if (state != null) {
            RequestState wanted = parseState(state);
            filter = filter.and(u -> u.state() == wanted);
        }
        return view.users(filter, page, size);
    }

    public TopicStatus topic(String cluster, String name) {
        return view.topic(cluster, name)
                .filter(t -> callers.visible(t.owner()))
                .orElseThrow(() -> ProblemException.notFound(
                        "The concierge has no topic '" + name + "' on cluster '" + cluster + "'"));
    }

    public Page<TopicStatus> topics(String cluster, String owner, String state, int page, int size) {
        checkPage(page, size);
        Caller caller = callers.current();
        Predicate<TopicStatus> filter = t -> caller.actsFor(t.owner());
        if (cluster != null) {
            filter = filter.and(t -> cluster.equals(t.cluster()));
        }
        if (owner != null) {
            filter = filter.and(t -> owner.equals(t.owner()));
        }
        if (state != null) {
            RequestState wanted = parseState(state);
            filter = filter.and(t -> t.state() == wanted);
        }
        return view.topics(filter, page, size);
    }

    public InstanceView instance(String name) {
        return view.instance(name)
                .filter(i -> callers.visible(i.owner()))
                .orElseThrow(() -> ProblemException.notFound("The concierge has no instance '" + name + "'"));
    }

    public Page<InstanceView> instances(String owner, String state, int page, int size) {
        checkPage(page, size);
        Caller caller = callers.current();
        Predicate<InstanceView> filter = i -> caller.actsFor(i.owner());
        if (owner != null) {
            filter = filter.and(i -> owner.equals(i.owner()));
        }
        if (state != null) {
            RequestState wanted = parseState(state);
            filter = filter.and(i -> i.state() == wanted);
        }
        return view.instances(filter, page, size);
    }

    private void checkPage(int page, int size) {
        if (page < 0 || size < 1 || size > config.maxPageSize()) {
            throw ProblemException.validation(List.of(
                    new FieldError("page/size", "page must be 0 or more, size from 1 to " + config.maxPageSize())));
        }
    }

    private static RequestState parseState(String state) {
        try {
            return RequestState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(
                    List.of(new FieldError("state", "must be one of " + List.of(RequestState.values()))));
        }
    }
}
