package dev.pool.sample.trouble;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactions opened one inside another, each {@code REQUIRES_NEW}, as an audit log written "in its
 * own transaction" from inside a business transaction is: each level holds a connection of its own
 * until the levels inside it finish. Deeper than the pool is big, the innermost waits for a
 * connection only the levels outside it could return: a pool deadlock, which the pool fails at once.
 */
@Service
class NestedTransactions {

    private final TransactionTemplate requiresNew;
    private final JdbcClient jdbc;

    NestedTransactions(PlatformTransactionManager transactions, JdbcClient jdbc) {
        this.requiresNew = new TransactionTemplate(transactions);
        this.requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.jdbc = jdbc;
    }

    /** Opens {@code depth} transactions one inside another, each running a query; returns the depth reached. */
    int nest(int depth) {
        return requiresNew.execute((status) -> {
            jdbc.sql("select 1").query(Integer.class).single();
            return (depth <= 1) ? 1 : 1 + nest(depth - 1);
        });
    }
}
