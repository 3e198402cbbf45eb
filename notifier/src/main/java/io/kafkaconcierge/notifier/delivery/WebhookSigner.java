package io.kafkaconcierge.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies the Standard Webhooks way: {@code v1,} + base64(HMAC-SHA256(key, id + "." + timestamp + "."
 * + body)), where the key is the base64 after the {@code whsec_} prefix of the secret.
 */
public final class WebhookSigner {

    private static final String PREFIX = "whsec_";
    private final byte[] key;
    /** Initialised once; each signature works on a copy (looking the algorithm up and keying it cost more). */
    private final Mac keyed;

    public WebhookSigner(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with '" + PREFIX + "'");
        }
        try {
            this.key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret after '" + PREFIX + "' is not base64", e);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("the webhook secret must hold at least 16 bytes");
        }
        this.keyed = newMac();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Mac keyed with this secret for one signature: a copy of the keyed one (never used itself, so never changed). */
    private Mac mac() {
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            return newMac();
        }
    }

    /**
     * The {@code webhook-signature} header for several live secrets (during a rotation's overlap): one
     * space-separated {@code v1,} entry per secret, so a receiver holding either verifies.
     */
    public static String signatures(
            java.util.List<WebhookSigner> signers, String id, long timestampSeconds, String body) {
        return String.join(
                " ",
                signers.stream().map(s -> s.sign(id, timestampSeconds, body)).toList());
    }

    public String sign(String id, long timestampSeconds, String body) {
        byte[] digest = mac().doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }
}
