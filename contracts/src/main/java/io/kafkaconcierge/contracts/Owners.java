package io.kafkaconcierge.contracts;

import java.util.regex.Pattern;

/** What an owner (a team) may be called, wherever the concierge takes one: requests, subscriptions, filters. */
public final class Owners {

    /** 1 to 63 characters of [A-Za-z0-9._-], starting with a letter or digit (as the event schemas say). */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private Owners() {}

    /** Why an owner name cannot be used, or null when it can. */
    public static String problem(String owner) {
        if (owner == null || owner.isBlank()) {
            return "is required";
        }
        return PATTERN.matcher(owner).matches()
                ? null
                : "must be 1 to 63 characters of [A-Za-z0-9._-], starting with a letter or digit";
    }
}
