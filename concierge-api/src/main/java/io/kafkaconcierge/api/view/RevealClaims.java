package io.kafkaconcierge.api.view;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims on {@code concierge.credential-reveals}, by request id: the first one read for a request is the one that
 * showed its password (every replica reads the same first one, the topic being keyed by request id).
 */
@ApplicationScoped
public class RevealClaims {

    private final Map<String, String> first = new ConcurrentHashMap<>();

    /** A claim read from the topic; a later one for the same request does not count. */
    public void apply(String requestId, String claim) {
        first.putIfAbsent(requestId, claim);
    }

    /** The claim that showed the request's password, if any was read yet. */
    public Optional<String> claim(String requestId) {
        return Optional.ofNullable(first.get(requestId));
    }
}
