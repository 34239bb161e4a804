package dev.pool.test;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/** Describes the one column of every {@link StubResultSet}: a non-null {@code INTEGER}. */
public final class StubResultSetMetaData implements ResultSetMetaData {

    /** The column's label and name, as PostgreSQL names an unnamed {@code select 1}. */
    public static final String COLUMN_LABEL = "?column?";

    StubResultSetMetaData() {
    }

    private static void check(int column) throws SQLException {
        if (column != 1) {
            throw new SQLException("The stub result set has only column 1, not " + column, "07009");
        }
    }

    @Override
    public int getColumnCount() {
        return 1;
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        check(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        check(column);
        return columnNoNulls;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        check(column);
        return true;
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        check(column);
        return 11;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        check(column);
        return COLUMN_LABEL;
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        check(column);
        return COLUMN_LABEL;
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        check(column);
        return "";
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        check(column);
        return 10;
    }

    @Override
    public int getScale(int column) throws SQLException {
        check(column);
        return 0;
    }

    @Override
    public String getTableName(int column) throws SQLException {
        check(column);
        return "";
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        check(column);
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        check(column);
        return Types.INTEGER;
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        check(column);
        return "int4";
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        check(column);
        return true;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        check(column);
        return Integer.class.getName();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubResultSetMetaData is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
