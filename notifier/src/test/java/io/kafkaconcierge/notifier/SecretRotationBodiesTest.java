package io.kafkaconcierge.notifier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bodies of a secret rotation that are JSON but not an object: found by {@link NotifierFuzzTest}. */
@QuarkusTest
@QuarkusTestResource(SubscriptionsTestResource.class)
class SecretRotationBodiesTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    @Test
    void shouldRefuseARotationWhoseBodyIsJsonNullOrNotAnObjectWithA422() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = given().contentType(ContentType.JSON)
                    .body(Map.of(
                            "owner",
                            "rotators",
                            "channel",
                            Map.of("type", "webhook", "url", receiver.url()),
                            "filter",
                            Map.of("owners", List.of("rotators"))))
                    .post("/api/v1/subscriptions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            for (String body : List.of("null", "[]", "42", "\"PT1H\"")) {
                given().contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/v1/subscriptions/" + id + "/secret/rotate")
                        .then()
                        .statusCode(422)
                        .contentType("application/problem+json")
                        .body("status", equalTo(422));
            }
            given().delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        }
    }
}
