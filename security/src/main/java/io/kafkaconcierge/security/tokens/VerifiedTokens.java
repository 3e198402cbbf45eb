package io.kafkaconcierge.security.tokens;

import io.kafkaconcierge.security.SecurityConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The identities of OIDC bearer tokens verified lately, so that a client sending the same token again is not verified
 * again (signature, claims and the caller built from them cost about a fifth of the API's CPU per request). An entry
 * lives until the token expires or {@code max-age} has passed, whichever comes first, so a cached identity never
 * outlives its token and a changed signing key or claim mapping is picked up within {@code max-age}. Tokens are kept
 * as SHA-256 digests, never as themselves; the cache holds at most {@code max-entries} and is emptied when full of
 * live entries. A {@code max-age} of zero turns it off.
 */
@ApplicationScoped
public class VerifiedTokens {

    private record Entry(SecurityIdentity identity, long untilMillis) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long maxAgeMillis;
    private final int maxEntries;
    private final LongSupplier clock;

    @Inject
    public VerifiedTokens(SecurityConfig config) {
        this(config.verifiedTokens().maxAge(), config.verifiedTokens().maxEntries(), System::currentTimeMillis);
    }

    VerifiedTokens(Duration maxAge, int maxEntries, LongSupplier clock) {
        this.maxAgeMillis = maxAge.toMillis();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The identity the token was verified to, if it was verified within max-age and has not expired since. */
    public Optional<SecurityIdentity> find(String token) {
        if (maxAgeMillis <= 0) {
            return Optional.empty();
        }
        String key = digest(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() >= entry.untilMillis()) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.identity());
    }

    /**
     * Remembers what a token was verified to; {@code expiresAtSeconds} is the token's {@code exp} (0 if it has none:
     * then max-age alone bounds the entry).
     */
    public void remember(String token, SecurityIdentity identity, long expiresAtSeconds) {
        if (maxAgeMillis <= 0) {
            return;
        }
        long now = clock.getAsLong();
        long until = now + maxAgeMillis;
        if (expiresAtSeconds > 0) {
            until = Math.min(until, expiresAtSeconds * 1000);
        }
        if (until <= now) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> e.untilMillis() <= now);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(digest(token), new Entry(identity, until));
    }

    int size() {
        return entries.size();
    }

    private static String digest(String token) {
        try {
            return Base64.getEncoder()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
