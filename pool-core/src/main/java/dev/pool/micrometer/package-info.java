/**
 * Micrometer metrics of a pool. Needs {@code micrometer-core} on the classpath, an optional
 * dependency of {@code pool-core}: the rest of the pool never touches this package.
 */
package dev.pool.micrometer;
