package io.kafkaconcierge.contracts;

/** What a request asks to do with its resource. */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE
}
