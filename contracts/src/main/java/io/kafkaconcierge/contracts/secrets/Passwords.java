package io.kafkaconcierge.contracts.secrets;

import java.util.Base64;

/** Passwords of Kafka users: 32 random bytes (256 bits) from a strong source, base64url without padding. */
public final class Passwords {

    private Passwords() {}

    public static String generate() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(SecretBox.randomBytes(32));
    }
}
