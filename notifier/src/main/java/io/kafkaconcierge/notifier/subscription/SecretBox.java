package io.kafkaconcierge.notifier.subscription;

import java.util.Base64;
import java.util.Optional;

/**
 * Makes webhook secrets and seals them for the subscriptions topic with the configured key
 * ({@code notifier.subscriptions.secret-key}): see contracts' {@link io.kafkaconcierge.contracts.secrets.SecretBox}.
 * Without a key the secrets are stored as they are ({@code plain:...}), which the notifier warns about at start:
 * anyone who can read the topic could then sign webhooks.
 */
public final class SecretBox {

    private final io.kafkaconcierge.contracts.secrets.SecretBox box;

    public SecretBox(Optional<String> base64Key) {
        this.box = new io.kafkaconcierge.contracts.secrets.SecretBox(base64Key, "notifier.subscriptions.secret-key");
    }

    public boolean encrypts() {
        return box.encrypts();
    }

    /** A new Standard Webhooks secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        return "whsec_"
                + Base64.getEncoder().encodeToString(io.kafkaconcierge.contracts.secrets.SecretBox.randomBytes(32));
    }

    public String seal(String secret) {
        return box.seal(secret);
    }

    public String open(String sealed) {
        return box.open(sealed);
    }
}
