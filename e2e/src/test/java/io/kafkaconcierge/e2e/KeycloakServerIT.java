package io.kafkaconcierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kafkaconcierge.testing.KeycloakServer;

/** A real Keycloak with the concierge realm: the tokens its users and its CI bot get, as the services will see them. */
class KeycloakServerIT {

    private static KeycloakServer keycloak;

    @BeforeAll
    static void startKeycloak() throws Exception {
        Path realm = Path.of(KeycloakServerIT.class.getResource("/keycloak/concierge-realm.json").toURI());
        keycloak = KeycloakServer.start(Path.of(System.getProperty("keycloak.home")), "concierge", realm);
        System.out.printf("Keycloak ready in %d ms, resident %s KiB, log %s%n", keycloak.startupTime().toMillis(),
                keycloak.residentKiB().orElse(-1), keycloak.log());
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    /** aud is a string when it has one value, an array otherwise. */
    private static List<String> strings(JsonNode claim) {
        List<String> values = new ArrayList<>();
        if (claim.isArray()) {
            claim.forEach(v -> values.add(v.asText()));
        } else if (!claim.isMissingNode()) {
            values.add(claim.asText());
        }
        return values;
    }

    private static JsonNode claims(String token) {
        JsonNode claims = KeycloakServer.claims(token);
        System.out.println(claims.toPrettyString());
        return claims;
    }

    @Test
    void shouldGiveAlicePaymentsInHerGroupsByThePasswordGrant() {
        JsonNode claims = claims(keycloak.passwordToken("concierge-cli", "alice", "alice-pass"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer())
                .isEqualTo(keycloak.baseUrl() + "/realms/concierge");
        assertThat(strings(claims.path("aud"))).contains("concierge");
        assertThat(strings(claims.path("groups"))).containsExactly("payments");
        assertThat(claims.path("azp").asText()).isEqualTo("concierge-cli");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("alice");
    }

    @Test
    void shouldGiveCarolConciergeAdminsInHerGroups() {
        JsonNode claims = claims(keycloak.passwordToken("concierge-cli", "carol", "carol-pass"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(strings(claims.path("aud"))).contains("concierge");
        assertThat(strings(claims.path("groups"))).containsExactly("concierge-admins");
    }

    @Test
    void shouldGiveTheCiBotsServiceAccountPaymentsByClientCredentials() {
        JsonNode claims = claims(keycloak.clientCredentialsToken("ci-bot", "ci-bot-secret"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(strings(claims.path("aud"))).contains("concierge");
        assertThat(strings(claims.path("groups"))).containsExactly("payments");
        assertThat(claims.path("azp").asText()).isEqualTo("ci-bot");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("service-account-ci-bot");
        assertThat(claims.path("sub").asText()).isNotBlank();
    }
}
