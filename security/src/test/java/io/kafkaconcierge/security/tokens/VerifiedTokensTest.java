package io.kafkaconcierge.security.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private static SecurityIdentity identity(String name) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .build();
    }

    @Test
    void shouldAnswerTheSameTokenWithTheIdentityItWasVerifiedTo() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 100, now::get);
        SecurityIdentity alice = identity("alice");
        tokens.remember("token-a", alice, now.get() / 1000 + 3600);

        assertThat(tokens.find("token-a")).containsSame(alice);
        assertThat(tokens.find("token-b")).isEmpty();
        assertThat(tokens.find("token-a ")).isEmpty();
    }

    @Test
    void shouldNeverAnswerATokenPastItsExpiry() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 100, now::get);
        long expires = now.get() / 1000 + 10;
        tokens.remember("short", identity("bob"), expires);

        now.addAndGet(9_999);
        assertThat(tokens.find("short")).isPresent();
        now.addAndGet(1);
        assertThat(tokens.find("short")).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void shouldForgetATokenAfterMaxAgeEvenIfItIsStillValid() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 100, now::get);
        tokens.remember("long", identity("carol"), now.get() / 1000 + 86_400);

        now.addAndGet(59_999);
        assertThat(tokens.find("long")).isPresent();
        now.addAndGet(1);
        assertThat(tokens.find("long")).isEmpty();
    }

    @Test
    void shouldNotRememberATokenThatHasAlreadyExpired() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 100, now::get);
        tokens.remember("old", identity("dave"), now.get() / 1000 - 1);

        assertThat(tokens.find("old")).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void shouldStayWithinItsBoundDroppingExpiredEntriesFirst() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 3, now::get);
        tokens.remember("a", identity("a"), now.get() / 1000 + 5);
        tokens.remember("b", identity("b"), now.get() / 1000 + 3600);
        tokens.remember("c", identity("c"), now.get() / 1000 + 3600);
        now.addAndGet(5_000); // a has expired

        tokens.remember("d", identity("d"), now.get() / 1000 + 3600);
        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.find("b")).isPresent();
        assertThat(tokens.find("d")).isPresent();

        tokens.remember("e", identity("e"), now.get() / 1000 + 3600); // full of live entries: emptied
        assertThat(tokens.size()).isEqualTo(1);
        assertThat(tokens.find("e")).isPresent();
    }

    @Test
    void shouldVerifyEveryRequestWhenTurnedOff() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ZERO, 100, now::get);
        tokens.remember("token", identity("erin"), now.get() / 1000 + 3600);

        assertThat(tokens.find("token")).isEmpty();
    }
}
