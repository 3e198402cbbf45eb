package io.kafkaconcierge.notifier.subscription;

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
 * Makes webhook secrets and seals them for the subscriptions topic: AES-GCM under the configured key
 * ({@code notifier.subscriptions.secret-key}), as {@code aesgcm:<base64 of iv + ciphertext>}. Without a key the
 * secrets are stored as they are ({@code plain:...}), which the notifier warns about at start: anyone who can read
 * the topic could then sign webhooks.
 */
public final class SecretBox {

    private static final String SEALED = "aesgcm:";
    private static final String PLAIN = "plain:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<SecretKeySpec> key;

    public SecretBox(Optional<String> base64Key) {
        this.key = base64Key.filter(k -> !k.isBlank()).map(k -> {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(k.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("notifier.subscriptions.secret-key is not base64", e);
            }
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new IllegalStateException(
                        "notifier.subscriptions.secret-key must be 16, 24 or 32 bytes (base64), not " + bytes.length);
            }
            return new SecretKeySpec(bytes, "AES");
        });
    }

    public boolean encrypts() {
        return key.isPresent();
    }

    /** A new Standard Webhooks secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    public String seal(String secret) {
        if (key.isEmpty()) {
            return PLAIN + secret;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.get(), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SEALED + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a webhook secret", e);
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
            throw new IllegalStateException("a stored webhook secret is encrypted, but notifier.subscriptions."
                    + "secret-key is not set");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(SEALED.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(128, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a stored webhook secret: was the secret-key changed?", e);
        }
    }
}
