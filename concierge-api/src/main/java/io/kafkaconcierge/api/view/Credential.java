package io.kafkaconcierge.api.view;

/**
 * A user's password, shown once to its team in the answer of {@code GET /api/v1/requests/{id}} after READY.
 *
 * @param username         the SCRAM user name
 * @param password         the password
 * @param mechanism        {@code SCRAM-SHA-512}
 * @param bootstrapServers where the cluster's clients connect, as the concierge knows it
 * @param note             that it is not shown again
 */
public record Credential(String username, String password, String mechanism, String bootstrapServers, String note) {

    @Override
    public String toString() {
        return "Credential[username=" + username + ", password=<hidden>]";
    }
}
