package io.kafkaconcierge.api.console;

import io.kafkaconcierge.contracts.identity.DevIdentity;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The local run's one-click sign-in: tokens of the local development identity, signed with its key from
 * {@code concierge.console.dev-identity}. Available only when all of these hold: not the production profile, the
 * API trusts exactly that identity (issuer {@link DevIdentity#ISSUER} and the folder's public key as
 * {@code quarkus.oidc.public-key}), and the folder holds the key. Anything else: not available, and the console
 * shows only the identity provider's sign-in. A token made here is one the API would accept from the terminal anyway
 * ({@code bin/concierge-local} prints the same two).
 */
@ApplicationScoped
public class DevLogin {

    /** Who one may sign in as: a member of team {@code demo}, and a platform admin. */
    public enum Persona {
        DEMO("demo-user", List.of("demo")),
        ADMIN("platform-admin", List.of(DevIdentity.ADMIN_GROUP));

        final String subject;
        final List<String> groups;

        Persona(String subject, List<String> groups) {
            this.subject = subject;
            this.groups = groups;
        }
    }

    /** A token and when it expires. */
    public record Token(String accessToken, Instant expiresAt) {}

    private final ConsoleConfig config;
    private final Optional<DevIdentity> identity;

    public DevLogin(
            ConsoleConfig config,
            @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> issuer,
            @ConfigProperty(name = "quarkus.oidc.public-key") Optional<String> publicKey) {
        this.config = config;
        this.identity = identity(
                config.devIdentity(),
                issuer,
                publicKey,
                ConfigUtils.getProfiles().contains("prod"));
    }

    static Optional<DevIdentity> identity(
            Optional<Path> folder, Optional<String> issuer, Optional<String> publicKey, boolean production) {
        if (folder.isEmpty() || production) {
            return Optional.empty();
        }
        if (!issuer.equals(Optional.of(DevIdentity.ISSUER))) {
            Log.warnf(
                    "the console's one-click sign-in is off: the API does not trust the local development identity "
                            + "(quarkus.oidc.token.issuer is %s, not %s)",
                    issuer.orElse("unset"), DevIdentity.ISSUER);
            return Optional.empty();
        }
        Path pem = folder.get().resolve("private-key.pem");
        if (!Files.isRegularFile(pem)) {
            Log.warnf("the console's one-click sign-in is off: %s is missing", pem);
            return Optional.empty();
        }
        try {
            DevIdentity loaded = DevIdentity.fromPem(Files.readString(pem), DevIdentity.ISSUER);
            if (!publicKey.map(String::strip).equals(Optional.of(loaded.publicKey()))) {
                Log.warnf(
                        "the console's one-click sign-in is off: the key in %s is not the one the API trusts "
                                + "(quarkus.oidc.public-key)",
                        folder.get());
                return Optional.empty();
            }
            return Optional.of(loaded);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            Log.warnf("the console's one-click sign-in is off: cannot read %s (%s)", pem, e.getMessage());
            return Optional.empty();
        }
    }

    public boolean available() {
        return identity.isPresent();
    }

    /** A token of {@code persona}, or empty when the one-click sign-in is not available here. */
    public Optional<Token> token(Persona persona) {
        return identity.map(id -> {
            Instant expiresAt = Instant.now().plus(config.devTokenLifetime());
            return new Token(
                    id.token(persona.subject, persona.groups, expiresAt, DevIdentity.AUDIENCE, DevIdentity.ISSUER),
                    expiresAt);
        });
    }
}
