package io.kafkaconcierge.contracts.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The identity of a local run, with no identity provider to start: an RSA key made once under a folder
 * ({@code .local/identity/} for {@code bin/concierge-local}), that the services trust for tokens of the issuer
 * {@link #ISSUER}, and tokens signed with it. The production profile refuses this issuer (see
 * {@code IdentityGuard}), so a development key can never be trusted by a deployment.
 *
 * <p>{@code java -cp ... io.kafkaconcierge.contracts.identity.DevIdentity <folder> [hours]} makes the key if missing and
 * writes {@code public-key.txt} (for {@code quarkus.oidc.public-key}) and {@code demo.token} and
 * {@code admin.token} (valid for the given hours, default 12).
 */
public final class DevIdentity {

    public static final String ISSUER = "urn:kafka-concierge:local-development";
    /** The issuer of the tests' key, whose private half is in the repository: never trusted in production. */
    public static final String TEST_ISSUER = "urn:kafka-concierge:test";

    public static final String AUDIENCE = "concierge";
    public static final String ADMIN_GROUP = "concierge-admins";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String issuer;

    public DevIdentity(PrivateKey privateKey, PublicKey publicKey, String issuer) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.issuer = issuer;
    }

    /** The key in {@code folder/private-key.pem}, made there if missing (readable by its owner only). */
    public static DevIdentity load(Path folder) throws IOException, GeneralSecurityException {
        Path file = folder.resolve("private-key.pem");
        if (!Files.exists(file)) {
            Files.createDirectories(folder);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes())
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Path tmp = folder.resolve("private-key.pem.tmp");
            Files.writeString(tmp, pem);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return fromPem(Files.readString(file), ISSUER);
    }

    /** A key in PKCS#8 PEM, trusted for tokens of {@code issuer}. */
    public static DevIdentity fromPem(String pem, String issuer) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PrivateKey privateKey =
                rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
        PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        return new DevIdentity(privateKey, publicKey, issuer);
    }

    public String issuer() {
        return issuer;
    }

    /** The public key as {@code quarkus.oidc.public-key} takes it: base64 of its X.509 encoding. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** An access token of {@code subject}, member of {@code groups}, valid for {@code lifetime}. */
    public String token(String subject, List<String> groups, Duration lifetime) {
        return token(subject, groups, Instant.now().plus(lifetime), AUDIENCE, issuer);
    }

    /** A token with every field chosen, for tests of what is refused (expired, another audience or issuer). */
    public String token(String subject, List<String> groups, Instant expiresAt, String audience, String tokenIssuer) {
        Map<String, Object> claims = new LinkedHashMap<>();
        Instant now = Instant.now();
        claims.put("iss", tokenIssuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("preferred_username", subject);
        claims.put("groups", groups);
        claims.put("iat", Math.min(now.getEpochSecond(), expiresAt.getEpochSecond() - 60));
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return Jwts.sign(claims, privateKey, "concierge-dev");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DevIdentity <folder> [hours]");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        Duration lifetime = Duration.ofHours(args.length > 1 ? Long.parseLong(args[1]) : 12);
        DevIdentity identity = load(folder);
        Files.writeString(folder.resolve("public-key.txt"), identity.publicKey() + "\n");
        Files.writeString(folder.resolve("demo.token"), identity.token("demo-user", List.of("demo"), lifetime) + "\n");
        Files.writeString(
                folder.resolve("admin.token"), identity.token("platform-admin", List.of(ADMIN_GROUP), lifetime) + "\n");
        System.out.println("identity in " + folder + ": issuer " + ISSUER + ", tokens valid for " + lifetime);
    }
}
