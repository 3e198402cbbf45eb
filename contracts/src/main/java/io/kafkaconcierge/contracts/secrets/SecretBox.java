package io.kafkaconcierge.contracts.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for a Kafka topic: AES-GCM under a configured key (base64 of 16, 24 or 32 bytes), as
 * {@code aesgcm:<base64 of iv + ciphertext>}. Without a key the secrets are stored as they are ({@code plain:...}),
 * which each service refuses in production and warns about elsewhere. Used for the notifier's webhook secrets and
 * for Kafka users' passwords (a key the API and the provisioner share).
 */
public final class SecretBox {

    private static final String SEALED = "aesgcm:";
    private static final String PLAIN = "plain:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<SecretKeySpec> key;
    private final String property;

    /** {@code property} names the setting the key comes from, for error messages. */
    public SecretBox(Optional<String> base64Key, String property) {
        this.property = property;
        this.key = base64Key.filter(k -> !k.isBlank()).map(k -> {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(k.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + " is not base64", e);
            }
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new IllegalStateException(property + " must be 16, 24 or 32 bytes (base64), not " + bytes.length);
            }
            return new SecretKeySpec(bytes, "AES");
        });
    }

    /**
     * The box of a service's configured key: refused in production without one (secrets would be stored in clear);
     * elsewhere {@code warn} is told.
     */
    public static SecretBox configured(
            Optional<String> base64Key,
            String property,
            String env,
            boolean production,
            java.util.function.Consumer<String> warn) {
        SecretBox box = new SecretBox(base64Key, property);
        if (!box.encrypts() && production) {
            throw new IllegalStateException(property + " (" + env + ") is required in production: without it secrets "
                    + "would be stored on Kafka unencrypted. Make one with: head -c 32 /dev/urandom | base64");
        }
        if (!box.encrypts()) {
            warn.accept(property + " is not set: secrets are stored on Kafka unencrypted");
        }
        return box;
    }

    public boolean encrypts() {
        return key.isPresent();
    }

    /** {@code n} random bytes from a strong source. */
    public static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    public String seal(String secret) {
        if (key.isEmpty()) {
            return PLAIN + secret;
        }
        try {
            byte[] iv = randomBytes(IV_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.get(), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SEALED
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                                    .put(iv)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret", e);
        }
    }

    public String open(String sealed) {
        if (sealed.startsWith(PLAIN)) {
            return sealed.substring(PLAIN.length());
        }
        if (!sealed.startsWith(SEALED)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        if (key.isEmpty()) {
            throw new IllegalStateException("a stored secret is encrypted, but " + property + " is not set");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(SEALED.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(128, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a stored secret: was " + property + " changed?", e);
        }
    }
}
