package io.kafkaconcierge.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkaconcierge.notifier.delivery.WebhookSigner;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void shouldMakeSecretsThatSignAndKeepThemEncryptedAtRest() {
        SecretBox box = new SecretBox(Optional.of(KEY));
        String secret = SecretBox.newSecret();
        new WebhookSigner(secret); // a valid Standard Webhooks secret

        String sealed = box.seal(secret);

        assertThat(sealed).startsWith("aesgcm:").doesNotContain(secret.substring(6));
        assertThat(box.seal(secret)).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed)).isEqualTo(secret);
    }

    @Test
    void shouldRefuseToOpenWithAnotherKey() {
        String sealed = new SecretBox(Optional.of(KEY)).seal(SecretBox.newSecret());
        SecretBox other = new SecretBox(Optional.of(Base64.getEncoder().encodeToString(new byte[32])));
        assertThatThrownBy(() -> other.open(sealed)).hasMessageContaining("secret-key");
        assertThatThrownBy(() -> new SecretBox(Optional.empty()).open(sealed)).hasMessageContaining("not set");
    }

    @Test
    void shouldRefuseAKeyOfTheWrongSize() {
        assertThatThrownBy(() -> new SecretBox(Optional.of(Base64.getEncoder().encodeToString(new byte[7]))))
                .hasMessageContaining("16, 24 or 32 bytes");
    }

    @Test
    void shouldStoreInClearWithoutAKey() {
        SecretBox box = new SecretBox(Optional.empty());
        String secret = SecretBox.newSecret();
        assertThat(box.encrypts()).isFalse();
        assertThat(box.open(box.seal(secret))).isEqualTo(secret);
    }
}
