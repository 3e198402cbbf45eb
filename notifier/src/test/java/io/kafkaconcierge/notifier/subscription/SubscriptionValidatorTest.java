package io.kafkaconcierge.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.notifier.delivery.WebhookAddresses;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionValidatorTest {

    /** No DNS in a unit test: two made-up names, literals as the JDK reads them. */
    private static InetAddress[] fakeDns(String host) throws UnknownHostException {
        return switch (host) {
            case "hooks.example.com" -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
            case "metadata.attacker.example" -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
            default -> {
                if (!host.matches("[0-9.]+|\\[.*")) {
                    throw new UnknownHostException(host);
                }
                yield InetAddress.getAllByName(host);
            }
        };
    }

    private static final WebhookAddresses STRICT =
            new WebhookAddresses(false, false, SubscriptionValidatorTest::fakeDns);

    private static String urlProblem(String url, boolean allowHttp) {
        return SubscriptionValidator.urlProblem(url, allowHttp, STRICT);
    }

    @Test
    void shouldAcceptHttpsAndHttpUrlsWithAHost() {
        assertThat(urlProblem("https://hooks.example.com/concierge?token=x", false))
                .isNull();
        assertThat(urlProblem("http://hooks.example.com:8080/hooks", true)).isNull();
        assertThat(SubscriptionValidator.urlProblem(
                        "http://10.0.0.7:8080/hooks",
                        true,
                        new WebhookAddresses(false, true, SubscriptionValidatorTest::fakeDns)))
                .isNull();
    }

    @Test
    void shouldAcceptANameThatDoesNotResolveYet() {
        assertThat(urlProblem("https://not-yet.example.com/hooks", false)).isNull();
    }

    @Test
    void shouldRefuseUrlsThatCannotBeUsedOrAreUnsafe() {
        assertThat(urlProblem("http://hooks.example.com/", false)).contains("https");
        assertThat(urlProblem("ftp://hooks.example.com/", true)).contains("http");
        assertThat(urlProblem("https://user:pw@hooks.example.com/", true)).contains("credentials");
        assertThat(urlProblem("http://169.254.169.254/latest/meta-data", true)).contains("link-local");
        assertThat(urlProblem("https:///nohost", true)).isNotNull();
        assertThat(urlProblem("not a url", true)).isNotNull();
    }

    @Test
    void shouldRefuseUrlsThatPointInsideHoweverTheAddressIsWritten() {
        assertThat(urlProblem("http://0xA9FEA9FE/", true))
                .isEqualTo(
                        "resolves to 169.254.169.254, a link-local "
                                + "address (cloud metadata); deliveries to link-local, loopback and private addresses are not allowed");
        assertThat(urlProblem("http://[::ffff:169.254.169.254]/", true)).contains("169.254.169.254");
        assertThat(urlProblem("http://[::ffff:a9fe:a9fe]/", true)).contains("169.254.169.254");
        assertThat(urlProblem("http://2852039166/", true)).contains("link-local");
        assertThat(urlProblem("https://metadata.attacker.example/", true)).contains("link-local");
        assertThat(urlProblem("http://127.0.0.1:8080/", true)).contains("a loopback address");
        assertThat(urlProblem("http://10.0.0.7:8080/hooks", true)).contains("a private-network address");
        assertThat(urlProblem("http://[::]/", true)).contains("wildcard");
    }

    @Test
    void shouldNameEachBadFilterValue() {
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.filter(
                new Subscription.Filter(
                        List.of("io.kafkaconcierge.topic.ready", "io.kafkaconcierge.topic.exploded"),
                        List.of("cluster"),
                        List.of("bad owner!"),
                        null),
                Subscription.Channel.WEBHOOK,
                errors);
        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactly("filter.types.1", "filter.kinds.0", "filter.owners.0");
    }

    @Test
    void shouldOfferEmailOnlyForTypesThatHaveATemplate() {
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.filter(
                new Subscription.Filter(List.of("io.kafkaconcierge.topic.accepted"), null, null, null),
                Subscription.Channel.EMAIL,
                errors);
        assertThat(errors)
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("no e-mail"));
        List<FieldError> addresses = new ArrayList<>();
        SubscriptionValidator.to(List.of("team@example.com", "nobody"), "to", addresses);
        assertThat(addresses).extracting(FieldError::field).containsExactly("to.1");
    }

    @Test
    void shouldKeepThePreviousSecretUntilTheOverlapEndsAfterARotation() {
        Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
        Subscription s = new Subscription(
                "sub-x",
                "team",
                null,
                Subscription.Filter.ANY,
                "webhook",
                "https://h.example.com",
                null,
                List.of(new Subscription.Secret("plain:a", t0, null)),
                Subscription.ACTIVE,
                null,
                null,
                null,
                t0,
                t0,
                false);
        Subscription once =
                s.withRotatedSecret(new Subscription.Secret("plain:b", t0.plusSeconds(10), null), t0.plusSeconds(3600));
        assertThat(once.liveSecrets(t0.plusSeconds(60)))
                .extracting(Subscription.Secret::sealed)
                .containsExactly("plain:a", "plain:b");
        assertThat(once.liveSecrets(t0.plusSeconds(3601)))
                .extracting(Subscription.Secret::sealed)
                .containsExactly("plain:b");
        Subscription twice = once.withRotatedSecret(
                new Subscription.Secret("plain:c", t0.plusSeconds(20), null), t0.plusSeconds(7200));
        assertThat(twice.secrets()).extracting(Subscription.Secret::sealed).containsExactly("plain:b", "plain:c");
    }
}
