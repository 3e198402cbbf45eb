package io.kafkaconcierge.security.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenCodecTest {

    @Test
    void shouldIssueTokensWhoseIdIsFoundAgainAndWhoseHashOnlyTheTokenMatches() {
        TokenCodec.Issued issued = TokenCodec.issue();

        assertThat(issued.token()).startsWith("kct_" + issued.id() + "_").hasSize(4 + 16 + 1 + 43);
        assertThat(TokenCodec.id(issued.token())).contains(issued.id());
        String hash = TokenCodec.hash(issued.token());
        assertThat(hash).hasSize(64).doesNotContain(issued.token().substring(21));
        assertThat(TokenCodec.matches(issued.token(), hash)).isTrue();
        assertThat(TokenCodec.matches(issued.token() + "x", hash)).isFalse();
        assertThat(TokenCodec.matches(TokenCodec.issue().token(), hash)).isFalse();
    }

    @Test
    void shouldNeverIssueTheSameTokenTwice() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(TokenCodec.issue().token())).isTrue();
        }
    }

    @Test
    void shouldFindNoIdInSomethingNotShapedLikeAToken() {
        assertThat(TokenCodec.id("kct_short_abc")).isEmpty();
        assertThat(TokenCodec.id("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isEmpty();
        assertThat(TokenCodec.id("kct_AAAAAAAAAAAAAAAA_" + "A".repeat(43))).isEmpty(); // ids are lower-case base32
        assertThat(TokenCodec.id("kct_aaaaaaaaaaaaaaaa_" + "A".repeat(43) + "\n"))
                .isEmpty();
    }
}
