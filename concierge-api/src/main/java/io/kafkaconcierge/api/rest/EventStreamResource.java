package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.stream.EventCursor;
import io.kafkaconcierge.api.stream.EventStreamService;
import io.kafkaconcierge.contracts.EventFilter;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/events")
@Authenticated
@Tag(name = "Events", description = "Watch what happens to requests, live")
public class EventStreamResource {

    private final EventStreamService streams;
    private final ApiConfig config;
    private final Callers callers;

    public EventStreamResource(EventStreamService streams, ApiConfig config, Callers callers) {
        this.streams = streams;
        this.config = config;
        this.callers = callers;
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            operationId = "streamEvents",
            summary = "Status events as Server-Sent Events",
            description = "Each SSE event is one CloudEvent in structured JSON; its SSE event name is the CloudEvent "
                    + "type and its id a stream position. Reconnect with Last-Event-ID (browsers do) to resume "
                    + "without gaps, on any replica. Filters may be repeated or comma-separated.")
    public Multi<OutboundSseEvent> stream(
            @Context Sse sse,
            @Parameter(description = "CloudEvent types, e.g. io.kafkaconcierge.topic.ready") @QueryParam("type")
                    List<String> types,
            @Parameter(description = "Resource kinds, e.g. topic") @QueryParam("kind") List<String> kinds,
            @QueryParam("cluster") List<String> clusters,
            @QueryParam("owner") List<String> owners,
            @Parameter(description = "Only the events of this request") @QueryParam("requestId") String requestId,
            @Parameter(description = "now (default), beginning, or a stream position")
                    @QueryParam("from")
                    @DefaultValue("now")
                    String from,
            @HeaderParam("Last-Event-ID") String lastEventId) {
        String position = lastEventId != null && !lastEventId.isBlank() ? lastEventId : from;
        Optional<EventCursor> cursor = Optional.empty();
        boolean replay = "beginning".equals(position);
        if (!replay && !"now".equals(position)) {
            try {
                cursor = Optional.of(EventCursor.parse(position));
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation(List.of(new FieldError(
                        lastEventId != null ? "Last-Event-ID" : "from",
                        e.getMessage() + "; use now, beginning, or the id of an event of this stream")));
            }
        }
        // only the events of what the caller's teams own (an admin's: all)
        Caller caller = callers.current();
        Multi<OutboundSseEvent> events = streams.stream(
                        EventFilter.of(types, kinds, clusters, owners, requestId), caller::actsFor, cursor, replay)
                .map(e -> e.connected()
                        ? sse.newEventBuilder().comment("connected").build()
                        : sse.newEventBuilder()
                                .id(e.cursor())
                                .name(e.type())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(e.body())
                                .build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom()
                .ticks()
                .every(config.stream().keepAlive())
                .map(t -> sse.newEventBuilder().comment("keep-alive").build());
        // the "connected" comment comes once the stream reads from its position (see EventStreamService)
        return Multi.createBy().merging().streams(events, keepAlive);
    }
}
