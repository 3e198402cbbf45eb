package io.kafkaconcierge.provisioner.service;

import io.kafkaconcierge.contracts.FailureReason;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Sorts Admin API errors into: try again, or fail with a reason a person understands. */
final class AdminErrors {

    private AdminErrors() {}

    static Throwable unwrap(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    }

    static Outcome classify(Throwable error, String what) {
        Throwable t = unwrap(error);
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof RetriableException || t instanceof DisconnectException || t instanceof TimeoutException) {
            return Outcome.retry(what + ": " + detail);
        }
        if (t instanceof InvalidReplicationFactorException
                && t.getMessage() != null
                && t.getMessage().contains("fenced")) {
            // right after a broker (re)starts the controller counts it only once unfenced: the same request succeeds
            // a moment later, so this is a retry, not the spec's fault (the API checked the replication factor
            // against the cluster's brokers already)
            return Outcome.retry(what + ": brokers not usable yet: " + detail);
        }
        if (t instanceof InvalidReplicationFactorException
                || t instanceof InvalidPartitionsException
                || t instanceof InvalidConfigurationException
                || t instanceof PolicyViolationException
                || t instanceof InvalidRequestException
                || t instanceof InvalidTopicException
                || t instanceof UnsupportedVersionException) {
            return Outcome.failed(FailureReason.INVALID_SPEC, what + " was refused by the cluster: " + detail);
        }
        if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
            return Outcome.failed(
                    FailureReason.NOT_AUTHORIZED,
                    what + " is not allowed for the concierge's " + "credentials on this cluster: " + detail
                            + ". Ask the cluster's operators to grant it.");
        }
        return Outcome.failed(FailureReason.INTERNAL, what + " failed: " + t);
    }

    /**
     * As {@link #classify(Throwable, String)}, for a call that places replicas ({@code replicationFactor} each): a
     * placement refused for too few usable brokers is a retry where the cluster has enough brokers registered
     * (fenced ones included: unfenced a moment after a restart), and the spec's fault only where it has not.
     */
    static Outcome classify(Throwable error, String what, int replicationFactor, IntSupplier registeredBrokers) {
        Throwable t = unwrap(error);
        if (t instanceof InvalidReplicationFactorException || t instanceof InvalidPartitionsException) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.contains("fenced")
                    || m.contains("broker(s) are registered") && replicationFactor <= registeredBrokers.getAsInt()) {
                return Outcome.retry(what + ": brokers not usable yet (fenced after a restart?): " + m);
            }
        }
        return classify(error, what);
    }
}
