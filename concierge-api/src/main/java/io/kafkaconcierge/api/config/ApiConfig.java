package io.kafkaconcierge.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

@ConfigMapping(prefix = "concierge.api")
public interface ApiConfig {

    /** Limits on what a topic request may ask for. */
    Topics topics();

    /** How long an Idempotency-Key is remembered: the same key with the same body returns the first request. */
    @WithDefault("24h")
    Duration idempotencyRetention();

    /**
     * The most Idempotency-Keys each replica remembers (about 400 bytes each: 40 MiB). Beyond it the oldest are
     * forgotten before their retention: a retry of one of them would be a new request. 100,000 keys are a day of
     * one keyed request a second; a retry minutes later is forgotten only above some 300 keyed requests a second.
     */
    @WithDefault("100000")
    int idempotencyKept();

    /** Seconds a client is told to wait (Retry-After) when Kafka cannot take a request. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** Largest page a list endpoint returns. */
    @WithDefault("500")
    int maxPageSize();

    /** The live event stream, GET /api/v1/events/stream. */
    Stream stream();

    interface Stream {
        /** Streams open at once in this replica; one more is answered 503. */
        @WithDefault("200")
        int maxStreams();

        /** How often an idle stream sends a comment, so that proxies keep it open. */
        @WithDefault("15s")
        Duration keepAlive();
    }

    /** What GET /api/v1/audit shows. */
    Audit audit();

    interface Audit {
        /** The newest records each replica keeps to answer from. */
        @WithDefault("100000")
        int kept();

        /** How far back a replica reads concierge.audit at start. */
        @WithDefault("30d")
        Duration window();
    }

    /** How much history the view of requests keeps (see the README, "Memory"). */
    View view();

    interface View {
        /**
         * Superseded requests (ended, and no longer deciding what their resource shows) kept as summaries for
         * GET /api/v1/requests/{id}; the oldest go first. About 400 bytes each.
         */
        @WithDefault("100000")
        int requestsKept();

        /** Deleted topics and users still shown (as DELETED) before they are forgotten; the oldest go first. */
        @WithDefault("10000")
        int goneResourcesKept();

        /** The longest either is kept, measured on the records' times (concierge.requests keeps 30 days). */
        @WithDefault("30d")
        Duration window();
    }

    /** What an instance request may ask for; set to match the provisioner's backend. */
    Instances instances();

    interface Instances {
        /** The backend the provisioner runs ({@code local} or {@code strimzi}); decides which listeners fit. */
        @WithDefault("local")
        String backend();

        /** Kafka versions the backend can run. */
        @WithDefault("4.1.1")
        List<String> versions();

        /** The version of a request that names none; one of {@link #versions()}. */
        @WithDefault("4.1.1")
        String defaultVersion();

        /** The most brokers one instance may have. */
        @WithDefault("6")
        int maxBrokers();
    }

    /**
     * How long a request may take from acceptance to a terminal state before it ends FAILED with reason TIMEOUT
     * (guard/DESIGN.md, "Deadlines"). A request waiting for approval has its policy's expiry instead.
     */
    Deadlines deadlines();

    interface Deadlines {
        /** Topic requests. */
        @WithDefault("10m")
        Duration topics();

        /** Instance requests (a new cluster takes minutes to start). */
        @WithDefault("1h")
        Duration instances();

        /** User requests. */
        @WithDefault("10m")
        Duration users();

        /** How often each replica looks for requests past their deadline. */
        @WithDefault("10s")
        Duration checkEvery();
    }

    /** The guard rails: policies, quotas and approvals (the README's "Guard rails"; guard/DESIGN.md). */
    Guard guard();

    interface Guard {
        /**
         * A JSON file with the default policy of each environment class ({@code {"dev": {...}, "test": ..., "prod":
         * ...}}, the shape of {@code GET /api/v1/policies/{environment}}); unset: the built-in defaults
         * ({@code guard/default-policies.json} in the API's jar). Admins' changes at run time take precedence.
         */
        Optional<String> policiesFile();

        /** The quota of a team no admin set one for; unset limits are no limits. */
        DefaultQuota quota();

        interface DefaultQuota {
            /** Topics per team. */
            OptionalLong topics();

            /** Partitions per team, over all its topics. */
            OptionalLong partitions();

            /** Bytes per team: partitions times retention.bytes over all its topics. */
            OptionalLong storageBytes();

            /** Instances per team. */
            OptionalLong instances();

            /** Brokers per team, over all its instances. */
            OptionalLong brokers();
        }

        /** How long a decision written to the ledger may take to be read back before the request answers 503. */
        @WithDefault("10s")
        Duration decisionTimeout();

        /**
         * An accepted reservation whose command never reached concierge.requests this long after (a replica stopped
         * between the two writes) no longer counts.
         */
        @WithDefault("5m")
        Duration abandonAfter();

        /**
         * How often the reconciler compares every resource's charge with the view; in between it looks only at the
         * resources whose requests changed (and those it had to leave for later).
         */
        @WithDefault("60s")
        Duration chargeSweepEvery();

        /** How long the replica that started a step has to finish it before any replica's reconciler does it. */
        @WithDefault("10s")
        Duration repairAfter();

        /** What each replica's fold of concierge.ledger keeps of requests that are over (guard/DESIGN.md). */
        LedgerFold ledger();

        /**
         * A reservation no longer open (refused, rejected, expired or closed), a timeout decision and an approval's
         * outcome are forgotten once older than {@code closed-window} or beyond {@code closed-kept}, oldest first.
         * Open reservations and the per-team sums every decision reads are never forgotten.
         */
        interface LedgerFold {
            /**
             * The most reservations no longer open kept (and as many timeout decisions, and as many outcomes); beyond
             * it the oldest are forgotten early. About 450 bytes each: 10,000 is 4.5 MB. Keep it far above the
             * decisions written at once: a writer reads its own decision back from the fold.
             */
            @WithDefault("10000")
            int closedKept();

            /**
             * How long, in the ledger records' own time, a reservation no longer open is kept after it closed (a
             * timeout decision and an outcome after they were written): a rejected or expired one's failed event is
             * repaired within it, an approval of a request that is over answers why, and a late record finds it.
             * Keep it well above {@code repair-after}.
             */
            @WithDefault("1h")
            Duration closedWindow();
        }

        /**
         * Admin client properties per registered cluster (security.protocol, sasl.*, ssl.*) with which a dry run asks
         * the cluster's own opinion ({@code validateOnly}); a cluster without any is asked without credentials.
         */
        Map<String, Map<String, String>> clusters();
    }

    /** Kafka users (service accounts): bounds of their quotas, and how their password is shown. */
    Users users();

    interface Users {
        /** The highest producer byte rate (bytes/s) a user may be given. */
        @WithDefault("104857600")
        long maxProducerByteRate();

        /** The highest consumer byte rate (bytes/s) a user may be given. */
        @WithDefault("104857600")
        long maxConsumerByteRate();

        /** The highest request percentage (of one broker thread's time per quota window) a user may be given. */
        @WithDefault("100")
        double maxRequestPercentage();

        /**
         * How long after its request is READY a new password may be shown (once) to its team; later, only a rotation
         * makes one that can be shown.
         */
        @WithDefault("24h")
        Duration revealWindow();
    }

    interface Topics {
        /** The most partitions one topic may have. */
        @WithDefault("1000")
        int maxPartitions();
    }
}
