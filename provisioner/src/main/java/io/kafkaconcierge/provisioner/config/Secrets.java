package io.kafkaconcierge.provisioner.config;

import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key Kafka users' passwords are sealed with on {@code concierge.requests}: {@code concierge.secrets.key}
 * ({@code CONCIERGE_SECRETS_KEY}, base64 of 32 bytes), the same in the API, which seals them, and here, where they
 * are opened to be set on the cluster. Required in production.
 */
@jakarta.enterprise.context.ApplicationScoped
public class Secrets {

    /** Opens the box at start, so that a missing key in production stops the service at once. */
    void check(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event, SecretBox box) {
        box.encrypts();
    }

    @Produces
    @Singleton
    SecretBox secretBox(@ConfigProperty(name = "concierge.secrets.key") Optional<String> key) {
        return SecretBox.configured(
                key,
                "concierge.secrets.key",
                "CONCIERGE_SECRETS_KEY",
                ConfigUtils.getProfiles().contains("prod"),
                Log::warn);
    }
}
