package io.kafkaconcierge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JDK Keycloak gets, without starting it. */
class KeycloakServerTest {

    @AfterEach
    void forgetTheConfiguredJdk() {
        System.clearProperty("keycloak.java.home");
    }

    @Test
    void shouldTellTheFeatureReleaseOfTheRunningJdk() {
        assertThat(KeycloakServer.featureVersion(Path.of(System.getProperty("java.home"))))
                .isEqualTo(Runtime.version().feature());
    }

    @Test
    void shouldReadTheFeatureReleaseOfAnotherJdkFromItsReleaseFile(@TempDir Path jdk) throws Exception {
        Files.createDirectories(jdk.resolve("bin"));
        Files.createFile(jdk.resolve("bin/java")).toFile().setExecutable(true);
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.1\"\n");

        assertThat(KeycloakServer.featureVersion(jdk)).isEqualTo(25);
    }

    @Test
    void shouldRefuseAJdkOlderThanKeycloakNeedsAndSayWhy(@TempDir Path jdk) throws Exception {
        Files.createDirectories(jdk.resolve("bin"));
        Files.createFile(jdk.resolve("bin/java")).toFile().setExecutable(true);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"1.8.0_412\"\n");
        System.setProperty("keycloak.java.home", jdk.toString());

        assertThatThrownBy(KeycloakServer::javaHome)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Java 17 or newer")
                .hasMessageContaining("(Java 8)");
    }

    @Test
    void shouldPreferTheConfiguredJdk() {
        String running = System.getProperty("java.home");
        System.setProperty("keycloak.java.home", running);

        assertThat(KeycloakServer.javaHome()).isEqualTo(Path.of(running));
    }
}
