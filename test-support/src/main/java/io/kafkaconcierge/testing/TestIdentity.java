package io.kafkaconcierge.testing;

import io.kafkaconcierge.contracts.identity.DevIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tokens for tests, signed with the test key in {@code test-identity/private-key.pem} (a key for tests only, that
 * the services trust in their {@code test} profile with the issuer {@link #ISSUER}).
 */
public final class TestIdentity {

    public static final String ISSUER = DevIdentity.TEST_ISSUER;
    public static final String ADMIN_GROUP = DevIdentity.ADMIN_GROUP;
    private static final DevIdentity IDENTITY = load();

    private TestIdentity() {}

    private static DevIdentity load() {
        try (InputStream in =
                TestIdentity.class.getClassLoader().getResourceAsStream("test-identity/private-key.pem")) {
            return DevIdentity.fromPem(new String(in.readAllBytes(), StandardCharsets.US_ASCII), ISSUER);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test key", e);
        }
    }

    public static DevIdentity identity() {
        return IDENTITY;
    }

    /** The public key, as quarkus.oidc.public-key takes it. */
    public static String publicKey() {
        return IDENTITY.publicKey();
    }

    /** A token of a member of {@code teams}, valid for an hour. */
    public static String member(String subject, String... teams) {
        return IDENTITY.token(subject, List.of(teams), Duration.ofHours(1));
    }

    public static String admin() {
        return IDENTITY.token("admin", List.of(ADMIN_GROUP), Duration.ofHours(1));
    }

    public static String expired(String subject, String... teams) {
        return IDENTITY.token(subject, List.of(teams), Instant.now().minusSeconds(600), DevIdentity.AUDIENCE, ISSUER);
    }

    public static String wrongAudience(String subject, String... teams) {
        return IDENTITY.token(subject, List.of(teams), Instant.now().plusSeconds(600), "someone-else", ISSUER);
    }

    /** A request header that keeps {@link #restAssuredAsAdmin()} from adding a token (it is not sent). */
    public static final String NO_DEFAULT_TOKEN = "X-Test-No-Default-Token";

    /**
     * RestAssured's default for tests of other things than identity: a request without an Authorization header is
     * sent as an admin, unless it carries {@link #NO_DEFAULT_TOKEN}. Installed once per JVM: Quarkus loads test
     * classes again for each application it starts, and a second filter would add the token the first one was
     * told not to.
     */
    public static synchronized void restAssuredAsAdmin() {
        if (io.restassured.RestAssured.filters().stream()
                .anyMatch(f -> f.getClass().getName().equals(AdminByDefault.class.getName()))) {
            return;
        }
        io.restassured.RestAssured.filters(
                new AdminByDefault(bearer(IDENTITY.token("admin", List.of(ADMIN_GROUP), Duration.ofHours(6)))));
    }

    /** See {@link #restAssuredAsAdmin()}. */
    public static final class AdminByDefault implements io.restassured.filter.Filter {

        private final String authorization;

        AdminByDefault(String authorization) {
            this.authorization = authorization;
        }

        @Override
        public io.restassured.response.Response filter(
                io.restassured.specification.FilterableRequestSpecification request,
                io.restassured.specification.FilterableResponseSpecification response,
                io.restassured.filter.FilterContext context) {
            if (request.getHeaders().hasHeaderWithName(NO_DEFAULT_TOKEN)) {
                request.removeHeader(NO_DEFAULT_TOKEN);
            } else if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", authorization);
            }
            return context.next(request, response);
        }
    }

    /** "Bearer " + token, for an Authorization header. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
