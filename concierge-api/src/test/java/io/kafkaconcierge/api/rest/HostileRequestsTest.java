package io.kafkaconcierge.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.fuzz.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests found by {@link ApiFuzzTest} that once answered a 500 with a stack trace, or an empty error. */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class HostileRequestsTest {

    private static RawHttp.Response send(String method, String target, byte[] body, String... headers) {
        List<String[]> all = new java.util.ArrayList<>(List.of(
                new String[] {"Host", "127.0.0.1"},
                new String[] {"Connection", "close"},
                new String[] {"Authorization", TestIdentity.bearer(TestIdentity.member("bob", "payments"))}));
        for (int i = 0; i < headers.length; i += 2) {
            all.add(new String[] {headers[i], headers[i + 1]});
        }
        return RawHttp.exchange(
                RestAssured.port,
                RawHttp.head(method, target, all),
                body,
                false,
                Duration.ofSeconds(10),
                Duration.ofMillis(100));
    }

    private static void assertProblem(RawHttp.Response r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertClientProblem(r);
    }

    private static void assertClientProblem(RawHttp.Response r) {
        assertThat(r.status()).as(r.text()).isBetween(400, 499);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.text()).contains("\"status\":" + r.status()).doesNotContain("Exception", "java.", "\tat ");
    }

    @Test
    void shouldAnswerAPathWhoseMatrixParameterHidesABrokenEscapeWithAProblemNotA500() {
        // %25 decodes to '%': decoding the path a second time (UriInfo.getPath() in the mappers) used to throw
        assertClientProblem(send("DELETE", "/api/v1/teams/%25zz/tokens/x;a=1", null));
        assertClientProblem(send("GET", "/api/v1/topics/%25%C4%B3/x;jsessionid=1", null));
    }

    @Test
    void shouldAnswerABodyAboveQuarkusOwnLimitWithAProblemNotAnEmpty413() {
        byte[] body = "a".repeat(3 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response r = send(
                "POST",
                "/api/v1/topics",
                body,
                "Content-Type",
                "application/json",
                "Content-Length",
                String.valueOf(body.length));
        assertProblem(r, 413);
        assertThat(r.text()).contains("at most 65536");
    }
}
