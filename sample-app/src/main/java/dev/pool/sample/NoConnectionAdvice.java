package dev.pool.sample;

import java.sql.SQLTransientConnectionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A request that got no connection within {@code pool.connection-wait-timeout} is answered 503 with
 * the pool's own message (pool, timeout, active/idle/pending) instead of a bare 500. Spring matches
 * the handler against the causes too, so this also catches the exception wrapped by
 * {@code CannotCreateTransactionException} or {@code CannotGetJdbcConnectionException}.
 */
@RestControllerAdvice
class NoConnectionAdvice {

    @ExceptionHandler(SQLTransientConnectionException.class)
    ProblemDetail noConnection(SQLTransientConnectionException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
