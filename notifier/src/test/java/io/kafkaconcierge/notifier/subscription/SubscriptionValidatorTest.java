package io.kafkaconcierge.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kafkaconcierge.problem.Problem.FieldError;

class SubscriptionValidatorTest {

    @Test
    void shouldAcceptHttpsAndHttpUrlsWithAHost() {
        assertThat(SubscriptionValidator.urlProblem("https://hooks.example.com/concierge?token=x", false)).isNull();
        assertThat(SubscriptionValidator.urlProblem("http://10.0.0.7:8080/hooks", true)).isNull();
    }

    @Test
    void shouldRefuseUrlsThatCannotBeUsedOrAreUnsafe() {
        assertThat(SubscriptionValidator.urlProblem("http://hooks.example.com/", false)).contains("https");
        assertThat(SubscriptionValidator.urlProblem("ftp://hooks.example.com/", true)).contains("http");
        assertThat(SubscriptionValidator.urlProblem("https://user:pw@hooks.example.com/", true))
                .contains("credentials");
        assertThat(SubscriptionValidator.urlProblem("http://169.254.169.254/latest/meta-data", true))
                .contains("link-local");
        assertThat(SubscriptionValidator.urlProblem("https:///nohost", true)).isNotNull();
        assertThat(SubscriptionValidator.urlProblem("not a url", true)).isNotNull();
    }

    @Test
    void shouldNameEachBadFilterValue() {
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.filter(new Subscription.Filter(List.of("io.kafkaconcierge.topic.ready",
                "io.kafkaconcierge.topic.exploded"), List.of("cluster"), List.of("bad owner!"), null),
                Subscription.Channel.WEBHOOK, errors);
        assertThat(errors).extracting(FieldError::field)
                .containsExactly("filter.types.1", "filter.kinds.0", "filter.owners.0");
    }

    @Test
    void shouldOfferEmailOnlyForTypesThatHaveATemplate() {
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.filter(new Subscription.Filter(List.of("io.kafkaconcierge.topic.accepted"), null, null,
                null), Subscription.Channel.EMAIL, errors);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.message()).contains("no e-mail"));
        List<FieldError> addresses = new ArrayList<>();
        SubscriptionValidator.to(List.of("team@example.com", "nobody"), "to", addresses);
        assertThat(addresses).extracting(FieldError::field).containsExactly("to.1");
    }

    @Test
    void shouldKeepThePreviousSecretUntilTheOverlapEndsAfterARotation() {
        Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
        Subscription s = new Subscription("sub-x", "team", null, Subscription.Filter.ANY, "webhook",
                "https://h.example.com", null, List.of(new Subscription.Secret("plain:a", t0, null)),
                Subscription.ACTIVE, null, null, null, t0, t0, false);
        Subscription once = s.withRotatedSecret(new Subscription.Secret("plain:b", t0.plusSeconds(10), null),
                t0.plusSeconds(3600));
        assertThat(once.liveSecrets(t0.plusSeconds(60))).extracting(Subscription.Secret::sealed)
                .containsExactly("plain:a", "plain:b");
        assertThat(once.liveSecrets(t0.plusSeconds(3601))).extracting(Subscription.Secret::sealed)
                .containsExactly("plain:b");
        Subscription twice = once.withRotatedSecret(new Subscription.Secret("plain:c", t0.plusSeconds(20), null),
                t0.plusSeconds(7200));
        assertThat(twice.secrets()).extracting(Subscription.Secret::sealed).containsExactly("plain:b", "plain:c");
    }
}
