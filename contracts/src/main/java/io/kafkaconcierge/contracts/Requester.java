package io.kafkaconcierge.contracts;

/**
 * Who asked for something, as the concierge verified it: never a credential.
 *
 * @param subject   the identity provider's subject ({@code sub}), or {@code token:<id>} for an API token
 * @param name      a name for people ({@code preferred_username}, or the API token's name)
 * @param tokenName the API token's name when the caller used one; otherwise null
 */
public record Requester(String subject, String name, String tokenName) {}
