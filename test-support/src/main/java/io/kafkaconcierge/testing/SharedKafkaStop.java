package io.kafkaconcierge.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the shared embedded broker when the test run ends, before the JVM's shutdown hooks run. */
public class SharedKafkaStop implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        EmbeddedKafka.stopShared();
    }
}
