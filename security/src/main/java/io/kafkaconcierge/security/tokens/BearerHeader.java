package io.kafkaconcierge.security.tokens;

import io.vertx.ext.web.RoutingContext;

/** The token of an {@code Authorization: Bearer <token>} header, for the mechanisms that share that header. */
final class BearerHeader {

    private static final String BEARER = "bearer ";

    private BearerHeader() {}

    /** The bearer token the request carries, trimmed; null when it carries none. */
    static String token(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
