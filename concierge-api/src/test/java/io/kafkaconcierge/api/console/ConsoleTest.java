package io.kafkaconcierge.api.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.kafkaconcierge.api.rest.ApiKafkaResource;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The console's files and its two public calls, as a browser without a token meets them. */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class ConsoleTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static io.restassured.specification.RequestSpecification anonymous() {
        return given().header(TestIdentity.NO_DEFAULT_TOKEN, "1").redirects().follow(false);
    }

    @Test
    void servesTheConsoleWithoutATokenUnderAPolicyThatForbidsInlineScriptAndOtherOrigins() {
        anonymous()
                .get("/console/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"js/app.js\"></script>"))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        anonymous()
                .get("/console/js/app.js")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("connect-src 'self'"));
        anonymous().get("/console").then().statusCode(302).header("Location", equalTo("/console/"));
    }

    @Test
    void keepsEverythingElseBehindAToken() {
        anonymous().get("/api/v1/topics").then().statusCode(401);
        anonymous().get("/api/v1/me").then().statusCode(401);
        anonymous().get("/api/v1/events/stream").then().statusCode(401);
        // the API's own answers carry no console policy
        given().get("/api/v1/me").then().statusCode(200).header("Content-Security-Policy", (String) null);
    }

    @Test
    void tellsTheSignInPageNothingSecretAndOffersNoOneClickSignInWithoutTheDevelopmentIdentity() {
        anonymous()
                .get("/api/v1/console/settings")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("devLogin", equalTo(false))
                .body("limits.maxPartitions", equalTo(1000))
                .body("limits.maxBrokers", equalTo(6));
        // the tests trust the tests' key, not the local development identity: no tokens from here
        anonymous()
                .contentType(ContentType.JSON)
                .body("{\"as\": \"admin\"}")
                .post("/api/v1/console/dev-login")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void forwardsNothingToANotifierThatIsNotConfigured() {
        given().get("/api/v1/subscriptions").then().statusCode(404);
    }
}
