package dev.pool.test;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import java.util.TreeMap;

/**
 * A callable statement of {@link StubConnection}: executes as {@link StubPreparedStatement} does.
 * Named parameters are recorded ({@link #namedParameters()}); there are no OUT parameters, so
 * registering or reading one throws {@link SQLFeatureNotSupportedException}.
 */
public class StubCallableStatement extends StubPreparedStatement implements CallableStatement {

    private final Map<String, Object> namedParameters = new TreeMap<>();

    StubCallableStatement(StubConnection connection, String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) {
        super(connection, sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    /** The named parameters set now; a {@code setNull} is recorded as null. */
    public Map<String, Object> namedParameters() {
        synchronized (namedParameters) {
            return new TreeMap<>(namedParameters);
        }
    }

    private void set(String parameterName, Object value) throws SQLException {
        checkOpen();
        synchronized (namedParameters) {
            namedParameters.put(parameterName, value);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        super.clearParameters();
        synchronized (namedParameters) {
            namedParameters.clear();
        }
    }

    /** What every OUT-parameter method throws, once the statement is known to be open. */
    private SQLException noOutParameters() throws SQLException {
        checkOpen();
        return new SQLFeatureNotSupportedException("Stub callable statements have no OUT parameters");
    }

    // ---- OUT parameters: unsupported

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, int scale) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, String typeName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType, int scale) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType, String typeName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType, int scale) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType, String typeName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType, int scale) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType, String typeName)
            throws SQLException {
        throw noOutParameters();
    }

    @Override
    public boolean wasNull() throws SQLException {
        throw noOutParameters();
    }

    @Override
    public String getString(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public String getString(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public String getNString(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public String getNString(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public boolean getBoolean(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public boolean getBoolean(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public byte getByte(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public byte getByte(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public short getShort(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public short getShort(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public int getInt(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public int getInt(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public long getLong(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public long getLong(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public float getFloat(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public float getFloat(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public double getDouble(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public double getDouble(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    @SuppressWarnings("deprecation")
    public BigDecimal getBigDecimal(int parameterIndex, int scale) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public BigDecimal getBigDecimal(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public BigDecimal getBigDecimal(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public byte[] getBytes(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public byte[] getBytes(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Date getDate(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Date getDate(int parameterIndex, Calendar cal) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Date getDate(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Date getDate(String parameterName, Calendar cal) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Time getTime(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Time getTime(int parameterIndex, Calendar cal) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Time getTime(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Time getTime(String parameterName, Calendar cal) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Timestamp getTimestamp(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Timestamp getTimestamp(int parameterIndex, Calendar cal) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Timestamp getTimestamp(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Timestamp getTimestamp(String parameterName, Calendar cal) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Object getObject(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Object getObject(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Ref getRef(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Ref getRef(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Blob getBlob(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Blob getBlob(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Clob getClob(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Clob getClob(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public NClob getNClob(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public NClob getNClob(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Array getArray(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Array getArray(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public URL getURL(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public URL getURL(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public RowId getRowId(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public RowId getRowId(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public SQLXML getSQLXML(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public SQLXML getSQLXML(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Reader getCharacterStream(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Reader getCharacterStream(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Reader getNCharacterStream(int parameterIndex) throws SQLException {
        throw noOutParameters();
    }

    @Override
    public Reader getNCharacterStream(String parameterName) throws SQLException {
        throw noOutParameters();
    }

    // ---- named IN parameters

    @Override
    public void setNull(String parameterName, int sqlType) throws SQLException {
        set(parameterName, null);
    }

    @Override
    public void setNull(String parameterName, int sqlType, String typeName) throws SQLException {
        set(parameterName, null);
    }

    @Override
    public void setBoolean(String parameterName, boolean x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setByte(String parameterName, byte x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setShort(String parameterName, short x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setInt(String parameterName, int x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setLong(String parameterName, long x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setFloat(String parameterName, float x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setDouble(String parameterName, double x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setBigDecimal(String parameterName, BigDecimal x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setString(String parameterName, String x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setNString(String parameterName, String value) throws SQLException {
        set(parameterName, value);
    }

    @Override
    public void setBytes(String parameterName, byte[] x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setDate(String parameterName, Date x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setDate(String parameterName, Date x, Calendar cal) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setTime(String parameterName, Time x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setTime(String parameterName, Time x, Calendar cal) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp x, Calendar cal) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType, int scale) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType, int scaleOrLength)
            throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setURL(String parameterName, URL val) throws SQLException {
        set(parameterName, val);
    }

    @Override
    public void setRowId(String parameterName, RowId x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setSQLXML(String parameterName, SQLXML xmlObject) throws SQLException {
        set(parameterName, xmlObject);
    }

    @Override
    public void setBlob(String parameterName, Blob x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream) throws SQLException {
        set(parameterName, inputStream);
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream, long length) throws SQLException {
        set(parameterName, inputStream);
    }

    @Override
    public void setClob(String parameterName, Clob x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setClob(String parameterName, Reader reader) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setClob(String parameterName, Reader reader, long length) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setNClob(String parameterName, NClob value) throws SQLException {
        set(parameterName, value);
    }

    @Override
    public void setNClob(String parameterName, Reader reader) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setNClob(String parameterName, Reader reader, long length) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x, int length) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x, long length) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x, int length) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x, long length) throws SQLException {
        set(parameterName, x);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, int length) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
        set(parameterName, reader);
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader value) throws SQLException {
        set(parameterName, value);
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader value, long length) throws SQLException {
        set(parameterName, value);
    }
}
