package dev.pool.autoconfigure.endpoint;

import dev.pool.autoconfigure.endpoint.PoolEndpoint.PoolDescriptor;
import dev.pool.autoconfigure.endpoint.PoolEndpoint.PoolDetailsDescriptor;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link PoolEndpoint} over HTTP: an unknown pool is 404 and a bad request 400, each with
 * {@code {"message": ...}} saying what was wrong, whatever {@code server.error.include-message} says.
 */
@EndpointWebExtension(endpoint = PoolEndpoint.class)
public class PoolEndpointWebExtension {

    private final PoolEndpoint delegate;

    public PoolEndpointWebExtension(PoolEndpoint delegate) {
        this.delegate = delegate;
    }

    @ReadOperation
    public WebEndpointResponse<Object> pool(@Selector String name) {
        PoolDetailsDescriptor pool = delegate.pool(name);
        return (pool != null) ? new WebEndpointResponse<>(pool) : notFound(name);
    }

    @WriteOperation
    public WebEndpointResponse<Object> operate(@Selector String name, @Nullable String action,
            @Nullable Integer minIdle, @Nullable Integer maxSize) {
        try {
            PoolDescriptor pool = delegate.operate(name, action, minIdle, maxSize);
            return (pool != null) ? new WebEndpointResponse<>(pool) : notFound(name);
        } catch (InvalidEndpointRequestException ex) {
            return message(ex.getReason(), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    private WebEndpointResponse<Object> notFound(String name) {
        return message("No pool named '" + name + "'; the pools are " + delegate.names(),
                WebEndpointResponse.STATUS_NOT_FOUND);
    }

    private static WebEndpointResponse<Object> message(String message, int status) {
        return new WebEndpointResponse<>(OperationResponseBody.of(Map.of("message", message)), status);
    }
}
