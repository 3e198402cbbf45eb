package io.kafkaconcierge.contracts.serde;

import io.kafkaconcierge.contracts.ClusterInfo;

public class ClusterInfoDeserializer extends JsonDeserializer<ClusterInfo> {

    public ClusterInfoDeserializer() {
        super(ClusterInfo.class);
    }
}
