package io.kafkaconcierge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property checks without a library: a property holds for {@link #TRIES} cases drawn from one seeded {@link Random},
 * and a failure names the case that broke it. The seed is fixed, so a run is repeatable; another one explores other
 * cases: {@code -Dconcierge.property.seed=42}, and more of them: {@code -Dconcierge.property.tries=10000}.
 */
public final class Cases {

    public static final long SEED = Long.getLong("concierge.property.seed", 15L);
    public static final int TRIES = Integer.getInteger("concierge.property.tries", 500);

    private Cases() {}

    /** Checks {@code property} for {@link #TRIES} cases that {@code generator} draws. */
    public static <T> void forAll(Function<Random, T> generator, Consumer<T> property) {
        Random random = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            T sample = generator.apply(random);
            try {
                property.accept(sample);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        "falsified by case " + i + " of seed " + SEED + ": " + e + "\nthe case: " + sample, e);
            }
        }
    }

    public static <T> T oneOf(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Each value with probability one half, in a random order; sometimes empty. */
    public static <T> List<T> someOf(Random random, List<T> values) {
        List<T> some = new ArrayList<>();
        for (T v : values) {
            if (random.nextBoolean()) {
                some.add(random.nextInt(some.size() + 1), v);
            }
        }
        return some;
    }

    /** A string of {@code min} to {@code max} characters of {@code alphabet}. */
    public static String string(Random random, String alphabet, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /**
     * Any string at all, as a client could send it: empty, blank, very long, control characters, any Unicode (lone
     * surrogates included); sometimes null.
     */
    public static String anyString(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> string(random, " \t\n\r\u00a0\u2028\u3000", 0, 5);
            case 2 -> string(random, "abc.-_,:/@0", 0, 2_000);
            default -> {
                int length = random.nextInt(random.nextBoolean() ? 20 : 300);
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    s.append(
                            switch (random.nextInt(4)) {
                                case 0 -> (char) random.nextInt(128);
                                case 1 -> (char) random.nextInt(0x10000);
                                case 2 -> new String(Character.toChars(0x10000 + random.nextInt(0x100000)));
                                default -> "aZ9._-".charAt(random.nextInt(6));
                            });
                }
                yield s.toString();
            }
        };
    }
}
