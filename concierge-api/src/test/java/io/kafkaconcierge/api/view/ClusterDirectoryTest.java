package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.ClusterInfo;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClusterDirectoryTest {

    @Test
    void shouldListClustersByNameAndForgetOneOnItsTombstone() {
        ClusterDirectory directory = new ClusterDirectory();
        ClusterInfo info =
                new ClusterInfo("zeta", "localhost:9092", 1, true, null, Instant.parse("2026-01-01T00:00:00Z"));
        directory.apply("zeta", info);
        directory.apply("alpha", info);

        assertThat(directory.names()).containsExactly("alpha", "zeta");
        assertThat(directory.cluster("zeta")).contains(info);

        directory.apply("zeta", null);

        assertThat(directory.names()).containsExactly("alpha");
        assertThat(directory.cluster("zeta")).isEmpty();
    }
}
