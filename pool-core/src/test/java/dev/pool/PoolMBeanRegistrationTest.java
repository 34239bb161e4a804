package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MXBean's name is {@code dev.pool:type=Pool,name=<name>}, quoted only when the name needs it. */
class PoolMBeanRegistrationTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aPlainNameIsRegisteredUnquoted() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setName("orders");
            c.setInitialSize(1);
            c.setRegisterMbeans(true);
        });
        ObjectName name = new ObjectName("dev.pool:type=Pool,name=orders");
        assertThat(server.isRegistered(name)).isTrue();
        assertThat(server.getAttribute(name, "Idle")).isEqualTo(1);
        pool.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void aNameWithCharactersObjectNamesReserveIsQuoted() throws Exception {
        for (String poolName : new String[] {"a,b", "k=v", "host:5432", "say \"hi\"", "any*", "what?", "two\nlines"}) {
            PoolDataSource pool = pools.create(c -> {
                c.setName(poolName);
                c.setRegisterMbeans(true);
            });
            ObjectName name = new ObjectName("dev.pool:type=Pool,name=" + ObjectName.quote(poolName));
            assertThat(server.isRegistered(name)).as(poolName).isTrue();
            assertThat(server.getAttribute(name, "Name")).isEqualTo(poolName);
            pool.close();
            assertThat(server.isRegistered(name)).isFalse();
        }
    }
}
