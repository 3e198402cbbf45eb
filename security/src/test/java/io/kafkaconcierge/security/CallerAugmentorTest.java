package io.kafkaconcierge.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerAugmentorTest {

    @Test
    void shouldReadTeamsFromAnArrayACollectionOrAString() {
        assertThat(CallerAugmentor.names(Json.createArrayBuilder()
                        .add("payments")
                        .add("/analytics")
                        .build()))
                .containsExactly("payments", "/analytics");
        assertThat(CallerAugmentor.names(Set.of("a"))).containsExactly("a");
        assertThat(CallerAugmentor.names("a b,c")).containsExactly("a", "b", "c");
        assertThat(CallerAugmentor.names(null)).isEmpty();
        assertThat(CallerAugmentor.names(List.of(Json.createValue("x")))).containsExactly("x");
    }

    @Test
    void shouldLetACallerActOnlyForItsTeamsUnlessAdmin() {
        Caller member = new Caller("s", "alice", Set.of("payments"), false, Caller.Scope.WRITE, null, null, null);
        Caller admin = new Caller("a", "carol", Set.of(), true, Caller.Scope.WRITE, null, null, null);
        Caller reader = new Caller("token:x", "dash", Set.of("payments"), false, Caller.Scope.READ, "dash", "x", null);

        assertThat(member.actsFor("payments")).isTrue();
        assertThat(member.actsFor("analytics")).isFalse();
        assertThat(member.actsFor(null)).isFalse();
        assertThat(admin.actsFor("analytics")).isTrue();
        assertThat(reader.canWrite()).isFalse();
        assertThat(member.defaultTeam()).isEqualTo("payments");
        assertThat(admin.defaultTeam()).isEqualTo("-");
    }
}
