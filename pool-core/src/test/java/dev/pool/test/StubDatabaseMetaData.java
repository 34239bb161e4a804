package dev.pool.test;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * What a {@link StubConnection} says about its "database": product {@code Stub}, its URL and user,
 * and the transaction support the stub models. Catalog queries ({@code getTables} and the like) and
 * the other SQL-dialect questions throw {@link SQLFeatureNotSupportedException}.
 */
public final class StubDatabaseMetaData implements DatabaseMetaData {

    public static final String PRODUCT_NAME = "Stub";

    private final StubConnection connection;

    StubDatabaseMetaData(StubConnection connection) {
        this.connection = connection;
    }

    private SQLException unsupported() throws SQLException {
        connection.checkOpen();
        return new SQLFeatureNotSupportedException("The stub database does not describe this");
    }

    // ---- answered

    @Override
    public StubConnection getConnection() throws SQLException {
        connection.checkOpen();
        return connection;
    }

    @Override
    public String getURL() throws SQLException {
        connection.checkOpen();
        return connection.url();
    }

    @Override
    public String getUserName() throws SQLException {
        connection.checkOpen();
        return connection.user();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return connection.isReadOnly();
    }

    @Override
    public String getDatabaseProductName() throws SQLException {
        connection.checkOpen();
        return PRODUCT_NAME;
    }

    @Override
    public String getDatabaseProductVersion() throws SQLException {
        connection.checkOpen();
        return "1.0";
    }

    @Override
    public int getDatabaseMajorVersion() throws SQLException {
        connection.checkOpen();
        return 1;
    }

    @Override
    public int getDatabaseMinorVersion() throws SQLException {
        connection.checkOpen();
        return 0;
    }

    @Override
    public String getDriverName() throws SQLException {
        connection.checkOpen();
        return StubDriver.class.getSimpleName();
    }

    @Override
    public String getDriverVersion() throws SQLException {
        connection.checkOpen();
        return "1.0";
    }

    @Override
    public int getDriverMajorVersion() {
        return 1;
    }

    @Override
    public int getDriverMinorVersion() {
        return 0;
    }

    @Override
    public int getJDBCMajorVersion() throws SQLException {
        connection.checkOpen();
        return 4;
    }

    @Override
    public int getJDBCMinorVersion() throws SQLException {
        connection.checkOpen();
        return 3;
    }

    @Override
    public int getSQLStateType() throws SQLException {
        connection.checkOpen();
        return sqlStateSQL;
    }

    @Override
    public String getIdentifierQuoteString() throws SQLException {
        connection.checkOpen();
        return "\"";
    }

    @Override
    public int getMaxConnections() throws SQLException {
        connection.checkOpen();
        return 0;
    }

    @Override
    public boolean supportsTransactions() throws SQLException {
        connection.checkOpen();
        return true;
    }

    @Override
    public boolean supportsMultipleTransactions() throws SQLException {
        connection.checkOpen();
        return true;
    }

    @Override
    public int getDefaultTransactionIsolation() throws SQLException {
        connection.checkOpen();
        return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) throws SQLException {
        connection.checkOpen();
        return level == Connection.TRANSACTION_READ_UNCOMMITTED
                || level == Connection.TRANSACTION_READ_COMMITTED
                || level == Connection.TRANSACTION_REPEATABLE_READ
                || level == Connection.TRANSACTION_SERIALIZABLE;
    }

    @Override
    public boolean supportsSavepoints() throws SQLException {
        connection.checkOpen();
        return false;
    }

    @Override
    public boolean supportsBatchUpdates() throws SQLException {
        connection.checkOpen();
        return true;
    }

    @Override
    public boolean supportsGetGeneratedKeys() throws SQLException {
        connection.checkOpen();
        return true;
    }

    @Override
    public boolean supportsStatementPooling() throws SQLException {
        connection.checkOpen();
        return false;
    }

    @Override
    public boolean supportsResultSetType(int type) throws SQLException {
        connection.checkOpen();
        return type == ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) throws SQLException {
        connection.checkOpen();
        return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public boolean supportsResultSetHoldability(int holdability) throws SQLException {
        connection.checkOpen();
        return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        connection.checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubDatabaseMetaData is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    // ---- not described

    @Override
    public boolean allProceduresAreCallable() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean allTablesAreSelectable() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean nullsAreSortedHigh() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean nullsAreSortedLow() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean nullsAreSortedAtStart() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean nullsAreSortedAtEnd() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean usesLocalFiles() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean usesLocalFilePerTable() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean storesUpperCaseIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean storesLowerCaseIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean storesMixedCaseIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getSQLKeywords() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getNumericFunctions() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getStringFunctions() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getSystemFunctions() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getTimeDateFunctions() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getSearchStringEscape() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getExtraNameCharacters() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsColumnAliasing() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean nullPlusNonNullIsNull() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsConvert() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsConvert(int fromType, int toType) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsTableCorrelationNames() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsDifferentTableCorrelationNames() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsExpressionsInOrderBy() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsOrderByUnrelated() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsGroupBy() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsGroupByUnrelated() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsGroupByBeyondSelect() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsLikeEscapeClause() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsMultipleResultSets() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsNonNullableColumns() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsMinimumSQLGrammar() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCoreSQLGrammar() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsExtendedSQLGrammar() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsANSI92IntermediateSQL() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsANSI92FullSQL() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsOuterJoins() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsFullOuterJoins() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsLimitedOuterJoins() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getSchemaTerm() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getProcedureTerm() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getCatalogTerm() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isCatalogAtStart() throws SQLException {
        throw unsupported();
    }

    @Override
    public String getCatalogSeparator() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSchemasInDataManipulation() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSchemasInProcedureCalls() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCatalogsInDataManipulation() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsPositionedDelete() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsPositionedUpdate() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSelectForUpdate() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsStoredProcedures() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSubqueriesInComparisons() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSubqueriesInExists() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSubqueriesInIns() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsCorrelatedSubqueries() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsUnion() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsUnionAll() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxBinaryLiteralLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxCharLiteralLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxColumnNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxColumnsInGroupBy() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxColumnsInIndex() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxColumnsInOrderBy() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxColumnsInSelect() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxColumnsInTable() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxCursorNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxIndexLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxSchemaNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxProcedureNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxCatalogNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxRowSize() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxStatementLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxStatements() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxTableNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxTablesInSelect() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxUserNameLength() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getProcedureColumns(String catalog, String schemaPattern,
            String procedureNamePattern, String columnNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
            String columnNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getColumnPrivileges(String catalog, String schema, String table,
            String columnNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope,
            boolean nullable)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
            String foreignCatalog, String foreignSchema, String foreignTable)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique,
            boolean approximate)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean ownUpdatesAreVisible(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean ownDeletesAreVisible(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean ownInsertsAreVisible(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean othersUpdatesAreVisible(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean othersDeletesAreVisible(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean othersInsertsAreVisible(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean updatesAreDetected(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean deletesAreDetected(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean insertsAreDetected(int type) throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsNamedParameters() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsMultipleOpenResults() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
            String attributeNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean locatorsUpdateCopy() throws SQLException {
        throw unsupported();
    }

    @Override
    public RowIdLifetime getRowIdLifetime() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getFunctionColumns(String catalog, String schemaPattern,
            String functionNamePattern, String columnNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tableNamePattern,
            String columnNamePattern)
            throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean generatedKeyAlwaysReturned() throws SQLException {
        throw unsupported();
    }

    @Override
    public long getMaxLogicalLobSize() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsRefCursors() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean supportsSharding() throws SQLException {
        throw unsupported();
    }
}
