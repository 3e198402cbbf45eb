package io.kafkaconcierge.api.service;

import static io.kafkaconcierge.testing.Cases.anyString;
import static io.kafkaconcierge.testing.Cases.forAll;
import static io.kafkaconcierge.testing.Cases.oneOf;
import static io.kafkaconcierge.testing.Cases.someOf;
import static io.kafkaconcierge.testing.Cases.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.UserSpec.Access;
import io.kafkaconcierge.contracts.UserSpec.Grant;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the user rules: names that Kafka, Strimzi and Kubernetes all take; grants whose parts fit together. */
class UserValidatorPropertyTest {

    /**
     * A Kubernetes object name (DNS subdomain) of at most 64 characters: dot-separated labels of [a-z0-9-], each
     * starting and ending with a letter or digit. Written apart from the validator's pattern, label by label.
     */
    private static boolean kubernetesName(String n) {
        if (n == null || n.isEmpty() || n.length() > 64) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (!label.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                return false;
            }
        }
        return true;
    }

    private static List<FieldError> name(String name) {
        List<FieldError> errors = new ArrayList<>();
        UserValidator.name(name, errors);
        return errors;
    }

    /** Dot-separated DNS labels, 1 to 64 characters in all. */
    static String legalName(Random random) {
        String name;
        do {
            StringBuilder s = new StringBuilder(label(random));
            while (random.nextInt(3) == 0) {
                s.append('.').append(label(random));
            }
            name = s.toString();
        } while (name.length() > 64);
        return name;
    }

    private static String label(Random random) {
        String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
        return random.nextBoolean()
                ? string(random, alnum, 1, 1)
                : string(random, alnum, 1, 1) + string(random, alnum + "-", 0, 20) + string(random, alnum, 1, 1);
    }

    static String anyName(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> anyString(random);
            case 1 -> string(random, "ab9.-_A", 0, 70);
            case 2 -> string(random, "a.-", 1, 6);
            default -> legalName(random);
        };
    }

    @Test
    void shouldAcceptEveryNameThatIsAKubernetesObjectNameOfAtMost64Characters() {
        forAll(UserValidatorPropertyTest::legalName, n -> assertThat(name(n)).isEmpty());
    }

    @Test
    void shouldRefuseNamesWhosePartsBetweenDotsDoNotStartAndEndWithALetterOrDigit() {
        for (String n : List.of("a-.b", "a..b", "a.-b", "a.", ".a", "a-", "-a", "a.b-.c")) {
            assertThat(name(n)).as(n).extracting(FieldError::field).containsExactly("name");
        }
        assertThat(name("a-b.c-d.e")).isEmpty();
    }

    @Test
    void shouldAcceptOnlyNamesOfAtMost64LowerCaseLettersDigitsDotsAndDashes() {
        forAll(UserValidatorPropertyTest::anyName, n -> {
            List<FieldError> errors = name(n);
            assertThat(errors)
                    .extracting(FieldError::field)
                    .allMatch("name"::equals)
                    .hasSizeLessThanOrEqualTo(1);
            // each part between dots starts and ends with a letter or digit, as a Kubernetes name needs: no "a-.b",
            // "a..b" or "a.-b", which a Strimzi KafkaUser cannot be called
            boolean expected = kubernetesName(n);
            assertThat(errors.isEmpty()).isEqualTo(expected);
        });
    }

    /** A grant as the rules want it: a topic, some operations, a group with consume only, the rest with produce. */
    static Grant validGrant(Random random) {
        List<Access> operations;
        do {
            operations = someOf(random, List.of(Access.values()));
        } while (operations.isEmpty());
        boolean consume = operations.contains(Access.CONSUME);
        boolean produce = operations.contains(Access.PRODUCE);
        String legal = "abcXYZ019._-";
        return new Grant(
                string(random, legal, 1, random.nextBoolean() ? 10 : 249),
                null,
                operations,
                consume ? string(random, legal, 1, 30) : null,
                null,
                produce && random.nextBoolean() ? string(random, legal, 1, 30) : null,
                null,
                produce ? oneOf(random, java.util.Arrays.asList(null, true, false)) : null);
    }

    static List<Grant> validGrants(Random random) {
        List<Grant> grants = new ArrayList<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            grants.add(validGrant(random));
        }
        return grants;
    }

    private static List<String> grantErrors(List<Grant> grants) {
        List<FieldError> errors = new ArrayList<>();
        UserValidator.grants(grants, errors);
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void shouldAcceptEveryGrantWhosePartsFitTogether() {
        forAll(
                UserValidatorPropertyTest::validGrants,
                g -> assertThat(grantErrors(g)).isEmpty());
    }

    record Broken(List<Grant> grants, String field) {}

    /** Valid grants with one rule broken in one of them; {@code field}: the field the error must name. */
    static Broken oneRuleBroken(Random random) {
        List<Grant> grants = validGrants(random);
        Grant g = validGrant(random);
        int at = random.nextInt(grants.size() + 1);
        String prefix = "grants[" + at + "]";
        boolean consume = g.operations().contains(Access.CONSUME);
        boolean produce = g.operations().contains(Access.PRODUCE);
        Broken broken = switch (random.nextInt(5)) {
            case 0 ->
                new Broken(
                        withGrant(
                                grants,
                                at,
                                new Grant(
                                        oneOf(random, java.util.Arrays.asList(null, "", "a b", "x".repeat(250), "é")),
                                        null,
                                        g.operations(),
                                        g.group(),
                                        null,
                                        g.transactionalId(),
                                        null,
                                        g.idempotent())),
                        prefix + ".topic");
            case 1 ->
                consume
                        ? new Broken(
                                withGrant(
                                        grants,
                                        at,
                                        new Grant(
                                                g.topic(),
                                                null,
                                                g.operations(),
                                                null,
                                                null,
                                                g.transactionalId(),
                                                null,
                                                g.idempotent())),
                                prefix + ".group")
                        : new Broken(
                                withGrant(
                                        grants,
                                        at,
                                        new Grant(
                                                g.topic(),
                                                null,
                                                g.operations(),
                                                "g",
                                                null,
                                                g.transactionalId(),
                                                null,
                                                g.idempotent())),
                                prefix + ".group");
            case 2 ->
                produce
                        ? new Broken(
                                withGrant(
                                        grants,
                                        at,
                                        new Grant(
                                                g.topic(),
                                                null,
                                                g.operations(),
                                                g.group(),
                                                null,
                                                "tx id",
                                                null,
                                                g.idempotent())),
                                prefix + ".transactionalId")
                        : new Broken(
                                withGrant(
                                        grants,
                                        at,
                                        new Grant(
                                                g.topic(),
                                                null,
                                                g.operations(),
                                                g.group(),
                                                null,
                                                "tx",
                                                null,
                                                g.idempotent())),
                                prefix + ".transactionalId");
            case 3 ->
                produce
                        ? new Broken(
                                withGrant(
                                        grants,
                                        at,
                                        new Grant(
                                                g.topic(),
                                                null,
                                                g.operations(),
                                                g.group(),
                                                null,
                                                g.transactionalId(),
                                                null,
                                                g.idempotent())),
                                null)
                        : new Broken(
                                withGrant(
                                        grants,
                                        at,
                                        new Grant(g.topic(), null, g.operations(), g.group(), null, null, null, true)),
                                prefix + ".idempotent");
            default ->
                new Broken(
                        withGrant(grants, at, new Grant(g.topic(), null, List.of(), null, null, null, null, null)),
                        prefix + ".operations");
        };
        return broken;
    }

    private static List<Grant> withGrant(List<Grant> grants, int at, Grant g) {
        List<Grant> copy = new ArrayList<>(grants);
        copy.add(at, g);
        return copy;
    }

    @Test
    void shouldNameExactlyTheFieldOfTheOneRuleBroken() {
        forAll(
                UserValidatorPropertyTest::oneRuleBroken,
                b -> assertThat(grantErrors(b.grants())).isEqualTo(b.field() == null ? List.of() : List.of(b.field())));
    }

    @Test
    void shouldRefuseMoreThan50GrantsWithOneError() {
        forAll(
                r -> {
                    List<Grant> grants = new ArrayList<>();
                    int n = 51 + r.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        grants.add(validGrant(r));
                    }
                    return grants;
                },
                g -> assertThat(grantErrors(g)).containsExactly("grants"));
    }
}
