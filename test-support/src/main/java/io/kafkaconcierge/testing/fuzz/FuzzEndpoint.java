package io.kafkaconcierge.testing.fuzz;

import io.kafkaconcierge.testing.TestIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fuzz tests of the REST services share: an endpoint (its path made from fuzzed segments, its methods, its
 * queries and its bodies), and the credentials every endpoint is called with.
 */
public record FuzzEndpoint(
        String name, List<String> methods, PathMaker path, String[] queryNames, Map<String, BodyMaker> bodies) {

    public interface PathMaker {
        Target make(Fuzz fuzz);
    }

    /** A request target, and whether it names the one real resource (whose change only a refusal may follow). */
    public record Target(String path, boolean real) {}

    public interface BodyMaker {
        Fuzz.Body make(Fuzz fuzz);
    }

    /** An Authorization header (null: none), and whether its caller may change the real resource. */
    public record Credential(String name, String header, boolean mayChange) {}

    /**
     * Every kind of credential, valid and not, for a member of {@code team}: none, garbage, empty, Basic, expired,
     * another audience, API-token-shaped, alg none, giant, control bytes, a member of another team (index
     * {@link #OTHER_TEAM}), a member, an admin. {@code secrets} receives the tokens, which no answer or record may
     * contain.
     */
    public static List<Credential> credentials(String team, Set<String> secrets) {
        String admin = TestIdentity.admin();
        String member = TestIdentity.member("alice", team);
        String otherMember = TestIdentity.member("bob", "payments");
        String expired = TestIdentity.expired("alice", team);
        String wrongAudience = TestIdentity.wrongAudience("alice", team);
        String apiTokenShaped = "kct_aaaaaaaaaaaaaaaa_" + "A".repeat(43);
        secrets.addAll(Set.of(admin, member, otherMember, expired, wrongAudience, apiTokenShaped));
        return List.of(
                new Credential("none", null, false),
                new Credential("garbage", "Bearer not.a.token", false),
                new Credential("bearer-empty", "Bearer ", false),
                new Credential("bearer-only", "Bearer", false),
                new Credential("basic", "Basic dXNlcjpwYXNzd29yZA==", false),
                new Credential("expired", TestIdentity.bearer(expired), false),
                new Credential("wrong-audience", TestIdentity.bearer(wrongAudience), false),
                new Credential("api-token-shaped", TestIdentity.bearer(apiTokenShaped), false),
                new Credential("api-token-malformed", "Bearer kct_" + "z".repeat(5) + "_!", false),
                new Credential(
                        "alg-none",
                        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiZ3JvdXBzIjpbImNvbmNpZXJnZS1hZG1pbnMiXX0.",
                        false),
                new Credential("giant", "Bearer " + "a".repeat(12_000), false),
                new Credential("junk-bytes", "Bearer \u0001\u00ff\u0000x", false),
                new Credential("member-other-team", TestIdentity.bearer(otherMember), false),
                new Credential("member", TestIdentity.bearer(member), true),
                new Credential("member", TestIdentity.bearer(member), true),
                new Credential("admin", TestIdentity.bearer(admin), true),
                new Credential("admin", TestIdentity.bearer(admin), true),
                new Credential("admin-lowercase", "bearer  " + admin, true));
    }

    /** The index of the member of another team in {@link #credentials}. */
    public static final int OTHER_TEAM = 12;
}
