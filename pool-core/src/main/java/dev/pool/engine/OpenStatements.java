package dev.pool.engine;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The statements a borrower has open on one connection, so the pool can close those it forgot when
 * the connection comes back. One per entry, reused from borrow to borrow: a borrow allocates
 * nothing here unless it holds more than four statements at once. Used by the lease's owner alone
 * (the borrower's thread while lent, the returning thread after), so it needs no lock.
 */
final class OpenStatements {

    private Statement[] statements = new Statement[4];
    private int count;

    /** Remembers a statement just opened. */
    <S extends Statement> S track(S statement) {
        if (count == statements.length) {
            statements = Arrays.copyOf(statements, count * 2);
        }
        statements[count++] = statement;
        return statement;
    }

    /** Forgets a statement the borrower closed. Searches from the end: the last opened is usually the first closed. */
    void untrack(Statement statement) {
        for (int i = count - 1; i >= 0; i--) {
            if (statements[i] == statement) {
                System.arraycopy(statements, i + 1, statements, i, count - i - 1);
                statements[--count] = null;
                return;
            }
        }
    }

    /** Whether the borrower left a statement open. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Closes every statement still open, newest first; returns the first failure, or null. */
    SQLException closeAll() {
        SQLException failure = null;
        for (int i = count - 1; i >= 0; i--) {
            Statement s = statements[i];
            statements[i] = null;
            try {
                s.close();
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
        }
        count = 0;
        return failure;
    }
}
