package io.kafkaconcierge.api.stream;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a client of the event stream is: the next offset of every partition of {@code concierge.events}. It is the
 * SSE {@code id} of each event sent, so that a client reconnecting with {@code Last-Event-ID}, to any replica,
 * resumes exactly after the last event it saw, across all partitions. Format: {@code v1.<o0>.<o1>...}.
 */
public record EventCursor(long[] next) {

    private static final String VERSION = "v1";

    public static EventCursor parse(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length < 2 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("not an event stream position: '" + text + "'");
        }
        long[] next = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            try {
                next[i - 1] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an event stream position: '" + text + "'");
            }
            if (next[i - 1] < 0) {
                throw new IllegalArgumentException("not an event stream position: '" + text + "'");
            }
        }
        return new EventCursor(next);
    }

    public String format() {
        return VERSION + "." + Arrays.stream(next).mapToObj(Long::toString).collect(Collectors.joining("."));
    }

    /** The offset to resume partition {@code p} from; partitions the cursor does not know start at the beginning. */
    public long nextOf(int p) {
        return p < next.length ? next[p] : 0;
    }
}
