package io.kafkaconcierge.provisioner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.FailureReason;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.junit.jupiter.api.Test;

class AdminErrorsTest {

    private static final String TOO_FEW = "Unable to replicate the partition 3 time(s): The target replication factor "
            + "of 3 cannot be reached because only 1 broker(s) are registered.";

    @Test
    void shouldRetryAPlacementRefusedWhileRegisteredBrokersAreStillFenced() {
        Outcome o = AdminErrors.classify(
                new ExecutionException(new InvalidReplicationFactorException(TOO_FEW)),
                "Creating topic 't'",
                3,
                () -> 3);
        assertThat(o.retry()).isTrue();
        assertThat(o.message()).contains("brokers not usable yet");
    }

    @Test
    void shouldRetryWhenAllBrokersAreFenced() {
        Outcome o = AdminErrors.classify(
                new InvalidReplicationFactorException(
                        "All brokers are currently fenced, or have all their log directories cordoned."),
                "Creating topic 't'");
        assertThat(o.retry()).isTrue();
    }

    @Test
    void shouldFailAReplicationFactorAboveTheBrokersTheClusterHasAsInvalidSpec() {
        Outcome o =
                AdminErrors.classify(new InvalidReplicationFactorException(TOO_FEW), "Creating topic 't'", 3, () -> 1);
        assertThat(o.retry()).isFalse();
        assertThat(o.reason()).isEqualTo(FailureReason.INVALID_SPEC);
    }
}
