package io.kafkaconcierge.contracts;

import java.util.List;

/**
 * The environment classes a cluster or an instance belongs to. Each has its own policy (limits and how requests
 * are approved): {@code dev} lets requests through at once, {@code test} asks for one approver, {@code prod} for two.
 */
public final class Environments {

    public static final String DEV = "dev";
    public static final String TEST = "test";
    public static final String PROD = "prod";
    public static final List<String> ALL = List.of(DEV, TEST, PROD);

    private Environments() {}

    public static boolean known(String environment) {
        return ALL.contains(environment);
    }
}
